#include "ui/fonts.h"

#include <imgui.h>

#include <string>

namespace crm::ui {

void fonts_build(const FontFiles& files, float text_size_css, float dpr) {
    ImGuiIO& io = ImGui::GetIO();
    io.Fonts->Clear();
    float px = text_size_css * dpr;

    ImFontConfig latin;
    latin.FontDataOwnedByAtlas = false;  // the page's buffers outlive every rebuild
    latin.OversampleH = 2;
    latin.OversampleV = 1;
    if (files.data[0]) {
        static const ImWchar latin_ranges[] = {0x0020, 0x00FF, 0x2010, 0x203A, 0x20AC, 0x20AC,
                                               0x2190, 0x2193, 0x2212, 0x2212, 0};
        io.Fonts->AddFontFromMemoryTTF(files.data[0], files.size[0], px, &latin, latin_ranges);
    } else {
        io.Fonts->AddFontDefault();
    }

    // Only the characters the subset holds: the full CJK range would need a 256 MB atlas.
    static ImVector<ImWchar> cjk_ranges;
    cjk_ranges.clear();
    if (files.data[1] && files.data[2]) {
        ImFontGlyphRangesBuilder builder;
        std::string chars(reinterpret_cast<const char*>(files.data[2]), files.size[2]);
        builder.AddText(chars.c_str());
        builder.BuildRanges(&cjk_ranges);
        ImFontConfig cjk;
        cjk.FontDataOwnedByAtlas = false;
        cjk.MergeMode = true;
        cjk.OversampleH = 1;  // CJK strokes need no horizontal oversampling; halves the atlas
        cjk.OversampleV = 1;
        cjk.PixelSnapH = true;
        io.Fonts->AddFontFromMemoryTTF(files.data[1], files.size[1], px, &cjk, cjk_ranges.Data);
    }
    io.Fonts->TexDesiredWidth = 4096;
    io.Fonts->Build();
    io.FontGlobalScale = 1.0f / dpr;
}

}  // namespace crm::ui
