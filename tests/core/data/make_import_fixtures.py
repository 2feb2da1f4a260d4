#!/usr/bin/env python3
"""Writes the import test fixtures (invented data). Run once; the outputs are committed.
customers_gbk.csv is saved the way Excel/WPS save "CSV" on Chinese Windows: GBK, CRLF,
quotes only where needed; the GBK bytes come from iconv."""
import subprocess

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]

def credit_code(first17):  # GB 32100-2015 check character
    s = sum(ALPHABET.index(c) * w for c, w in zip(first17, WEIGHTS))
    return first17 + ALPHABET[(31 - s % 31) % 31]

good_a = credit_code("91440300MA5F00001")
good_b = credit_code("91330102MA2H00002")
bad = credit_code("91310000MA1FL8XQ3")
bad = bad[:-1] + ("0" if bad[-1] != "0" else "1")  # wrong check character

def csv_cell(v):
    return '"' + v.replace('"', '""') + '"' if any(c in v for c in ',"\r\n') else v

def csv_text(rows):
    return "".join(",".join(csv_cell(c) for c in r) + "\r\n" for r in rows)

customers = [
    ["客户名称", "客户类型", "统一社会信用代码", "所属行业", "省份", "城市", "详细地址", "客户来源", "客户状态", "负责人",
     "联系人", "职务", "手机号码", "联系电话", "电子邮箱", "首次联系日期", "预算金额（元）", "备注"],
    ["深圳市星河精密制造有限公司", "企业", good_a, "制造", "广东省", "深圳市", "南山区科技园南区8栋", "展会", "潜在", "王磊",
     "陈静", "采购经理", "13900001111", "0755-26001234", "chenjing@xinghe-jm.cn", "2024/3/5", "10万", "老客户介绍"],
    ["广州海川物流有限公司", "企业", "", "交通运输、仓储和邮政业", "广东省", "广州市", "天河区珠江新城华夏路10号, 富力中心\n23楼",
     "转介绍", "意向客户", "王磊", "刘洋", "总经理", "13600002222", "", "liuyang@haichuan56.com", "2024-01-18", "500,000",
     "需要开增值税专用发票"],
    ["北京云图信息技术有限公司", "企业", "", "软件和信息技术服务业", "北京市", "北京市", "海淀区中关村大街1号", "官网", "潜在", "赵敏",
     "孙强", "技术负责人", "1381234567", "", "", "2024/4/1", "", "手机号少一位"],
    ["上海汇诚贸易有限公司", "企业", bad, "批发和零售业", "上海市", "上海市", "浦东新区世纪大道100号", "陌生拜访", "潜在", "赵敏",
     "周芳", "", "13700003333", "", "", "2024/5/20", "", ""],
    ["成都锦程食品有限公司", "企业", "", "食品制造业", "四川省", "成都市", "武侯区人民南路四段", "网络推广", "潜在", "王磊",
     "吴娜", "", "13500004444", "", "", "2024/2/30", "", "日期不存在"],
    ["星河精密制造（深圳）有限公司", "企业", "", "制造业", "广东省", "深圳市", "", "展会", "潜在", "王磊",
     "陈静", "", "139-0000-1111", "", "", "", "", "与第2行重复"],
    ["云帆科技（杭州）有限公司", "企业", "", "软件和信息技术服务业", "浙江省", "杭州市", "", "官网", "潜在", "张伟",
     "李娜", "", "13812345678", "", "", "", "", "已有客户"],
    ["南京紫金星际贸易有限公司", "企业", "", "星际贸易", "江苏省", "南京市", "", "展会", "潜在", "赵敏",
     "郑杰", "", "13300005555", "", "", "", "", "行业不在列表中"],
    ["黄丽", "个人", "", "", "浙江省", "杭州市", "西湖区文三路", "转介绍", "意向", "张伟",
     "", "", "15800006666", "", "huangli@example.com", "2024/6/1", "", "个人客户"],
    ["武汉长江建材有限公司", "企业", "", "建筑业", "湖北省", "武汉市", "", "展会", "潜在", "王磊",
     "何勇", "", "", "", "", "", "", "没有联系方式"],
    [""] * 18,
    ["杭州西子文化传媒有限公司", "企业", good_b, "文化、体育和娱乐业", "浙江省", "杭州市", "上城区解放路", "转介绍", "成交客户", "张伟",
     "马丽", "市场总监", "18800007777", "0571-87001234", "mali@xizi-media.cn", "2023年12月8日", "1.5万", '=HYPERLINK("http://x")'],
]
with open("customers_gbk.utf8.tmp", "w", encoding="utf-8", newline="") as f:
    f.write(csv_text(customers))
subprocess.run(["iconv", "-f", "UTF-8", "-t", "GBK", "-o", "customers_gbk.csv", "customers_gbk.utf8.tmp"], check=True)
subprocess.run(["rm", "customers_gbk.utf8.tmp"], check=True)

english = [
    ["Company", "Contact", "Title", "Mobile", "Phone", "Email", "Industry", "Province", "City", "Source", "Status", "Owner", "Notes"],
    ["深圳市星河精密制造有限公司", "陈静", "采购经理", "13900001111", "", "", "Manufacturing", "广东省", "深圳市", "Trade show", "Potential", "王磊", "also in the GBK file"],
    ["厦门鹭岛软件有限公司", "林峰", "CTO", "13911112222", "", "linfeng@ludao.com", "软件", "福建省", "厦门市", "Website", "Potential", "赵敏", ""],
    ["鹭岛软件(厦门)有限公司", "林峰", "", "", "", "LINFENG@LUDAO.COM", "软件", "福建省", "厦门市", "Website", "Potential", "赵敏", "same email as above"],
    ["青岛海蓝水产有限公司", "王芳", "", "+86 137 0000 8888", "", "", "Fishery", "山东省", "青岛市", "Trade show", "Intent", "赵敏", ""],
    ["苏州工业园区精工机械有限公司", "钱军", "厂长", "", "0512-66001234", "", "Manufacturing", "江苏省", "苏州市", "Referral", "Won", "王磊", "-5% discount"],
]
with open("customers_utf8_bom.csv", "w", encoding="utf-8-sig", newline="") as f:
    f.write(csv_text(english))

interactions = [
    ["客户编号", "客户名称", "跟进时间", "跟进方式", "主题", "跟进内容", "客户反馈", "下一步", "下一步负责人", "下一步截止日期"],
    ["CX202310010001", "", "2023/10/8 14:30", "电话", "报价", "电话沟通报价细节", "有兴趣", "发送正式报价", "张伟", "2023/10/12"],
    ["", "深圳市星河精密制造有限公司", "2023-10-05 09:00", "拜访", "", "上门拜访采购经理", "需要更多信息", "", "", ""],
    ["", "星河精密制造", "2023/10/6 10:00", "微信", "", "微信沟通样品", "", "", "", ""],
    ["", "不存在的公司", "2023/10/6 11:00", "电话", "", "打电话", "", "", "", ""],
    ["", "深圳市星河精密制造有限公司", "2023-10-05 09:00", "拜访", "", "上门拜访采购经理", "", "", "", ""],
    ["", "广州海川物流有限公司", "2023/10/7 16:00", "会议", "", "", "", "", "", ""],
    ["", "广州海川物流有限公司", "2023/10/7 16:00", "会议", "年度合作", "季度回顾会议", "有兴趣", "准备合同", "王磊", ""],
]
with open("interactions_utf8_bom.csv", "w", encoding="utf-8-sig", newline="") as f:
    f.write(csv_text(interactions))

# A tags column as a team's sheet has it: library names in either language, mixed separators,
# a conflicting pair, a name not in the library and one only proposed (the test proposes it).
tagged = [
    ["客户名称", "手机", "所属行业", "标签"],
    ["宁波甬江机械有限公司", "13300001234", "制造", "高价值、直销"],
    ["温州瓯海电子有限公司", "13300002345", "制造", "High value; 低价值"],
    ["嘉兴南湖纺织有限公司", "13300003456", "制造", "战略客户，线上"],
    ["绍兴柯桥布业有限公司", "13300004567", "制造", "样品先行 / price sensitive"],
    ["杭州云帆科技有限公司", "13812345678", "软件和信息技术服务业", "低风险 信息技术"],
]
with open("customers_tags.csv", "w", encoding="utf-8-sig", newline="") as f:
    f.write(csv_text(tagged))

def qp(s):
    return "".join("=%02X" % b for b in s.encode("utf-8"))

vcf = "\r\n".join([
    "BEGIN:VCARD", "VERSION:3.0", "N:陈;静;;;", "FN:陈静", "ORG:深圳市星河精密制造有限公司;采购部", "TITLE:采购经理",
    "TEL;TYPE=CELL:13900001111", "TEL;TYPE=WORK,VOICE:0755-26001234",
    "EMAIL;TYPE=INTERNET:chenjing@xinghe-jm.cn", "EMAIL;TYPE=INTERNET,HOME:cj@example.net",
    "NOTE:2023年展会认识，负责设备采购，关注交期和售后服务，", " 每季度下单一次。",
    "END:VCARD",
    "BEGIN:VCARD", "VERSION:4.0", "FN:林小雨", "N:林;小雨;;;", "ORG:厦门鹭岛软件有限公司;研发部", "TITLE:产品经理",
    'TEL;VALUE=uri;TYPE="cell,voice";PREF=1:tel:+86-139-1111-3333', "TEL;VALUE=uri;TYPE=work:tel:+86-592-5551234",
    "EMAIL;TYPE=work:lin.xiaoyu@ludao.com", "END:VCARD",
    "BEGIN:VCARD", "VERSION:2.1", "N;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:" + qp("张") + ";" + qp("三") + ";;;",
    "FN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:" + qp("张三"), "TEL;CELL:150-1234-5678", "TEL;HOME:020-87654321",
    "NOTE;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:" + qp("朋友介绍的客户，")[:30] + "=",
    qp("朋友介绍的客户，")[30:] + qp("想买两台设备"),
    "END:VCARD",
    "BEGIN:VCARD", "VERSION:3.0", "FN:Lei Wang", "N:Wang;Lei;;;", "ORG:Acme\\, Inc.", "TITLE:Buyer\\; Asia",
    "EMAIL;TYPE=work:wl@acme.example", "END:VCARD", ""])
with open("contacts.vcf", "w", encoding="utf-8", newline="") as f:
    f.write(vcf)
print(good_a, good_b, bad)
