#include "platform/gl_renderer.h"

#include <GLES3/gl3.h>
#include <imgui.h>

#include <cstdio>
#include <cstring>

#include "platform/embedded.h"

namespace crm::platform {
namespace {

struct GlState {
    GLuint program = 0, vao = 0, vbo = 0, ibo = 0, font_texture = 0;
    GLint u_projection = -1, u_texture = -1;
};
GlState gl;

const char* shader_source(const char* name) {
    for (int i = 0; i < kShaderFiles_count; ++i)
        if (std::strcmp(kShaderFiles[i].name, name) == 0) return kShaderFiles[i].text;
    return nullptr;
}

GLuint compile(GLenum type, const char* name) {
    const char* src = shader_source(name);
    if (!src) {
        std::fprintf(stderr, "renderer: shader %s is not embedded\n", name);
        return 0;
    }
    while (*src == '\n') ++src;  // #version must be the first line
    GLuint shader = glCreateShader(type);
    glShaderSource(shader, 1, &src, nullptr);
    glCompileShader(shader);
    GLint ok = 0;
    glGetShaderiv(shader, GL_COMPILE_STATUS, &ok);
    if (!ok) {
        char log[1024];
        glGetShaderInfoLog(shader, sizeof log, nullptr, log);
        std::fprintf(stderr, "renderer: %s: %s\n", name, log);
    }
    return shader;
}

}  // namespace

bool renderer_init() {
    GLuint vs = compile(GL_VERTEX_SHADER, "imgui.vert.glsl");
    GLuint fs = compile(GL_FRAGMENT_SHADER, "imgui.frag.glsl");
    gl.program = glCreateProgram();
    glAttachShader(gl.program, vs);
    glAttachShader(gl.program, fs);
    glLinkProgram(gl.program);
    glDeleteShader(vs);
    glDeleteShader(fs);
    GLint ok = 0;
    glGetProgramiv(gl.program, GL_LINK_STATUS, &ok);
    if (!ok) {
        std::fprintf(stderr, "renderer: the shader program did not link\n");
        return false;
    }
    gl.u_projection = glGetUniformLocation(gl.program, "u_projection");
    gl.u_texture = glGetUniformLocation(gl.program, "u_texture");

    glGenVertexArrays(1, &gl.vao);
    glGenBuffers(1, &gl.vbo);
    glGenBuffers(1, &gl.ibo);
    glBindVertexArray(gl.vao);
    glBindBuffer(GL_ARRAY_BUFFER, gl.vbo);
    glEnableVertexAttribArray(0);
    glEnableVertexAttribArray(1);
    glEnableVertexAttribArray(2);
    glVertexAttribPointer(0, 2, GL_FLOAT, GL_FALSE, sizeof(ImDrawVert), (void*)offsetof(ImDrawVert, pos));
    glVertexAttribPointer(1, 2, GL_FLOAT, GL_FALSE, sizeof(ImDrawVert), (void*)offsetof(ImDrawVert, uv));
    glVertexAttribPointer(2, 4, GL_UNSIGNED_BYTE, GL_TRUE, sizeof(ImDrawVert), (void*)offsetof(ImDrawVert, col));
    glBindVertexArray(0);
    return true;
}

void renderer_upload_fonts() {
    ImGuiIO& io = ImGui::GetIO();
    unsigned char* pixels = nullptr;
    int width = 0, height = 0;
    io.Fonts->GetTexDataAsAlpha8(&pixels, &width, &height);
    if (!gl.font_texture) glGenTextures(1, &gl.font_texture);
    glBindTexture(GL_TEXTURE_2D, gl.font_texture);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_LINEAR);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
    glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
    glTexImage2D(GL_TEXTURE_2D, 0, GL_R8, width, height, 0, GL_RED, GL_UNSIGNED_BYTE, pixels);
    io.Fonts->SetTexID((ImTextureID)(intptr_t)gl.font_texture);
    io.Fonts->ClearTexData();  // the GPU has it; a CJK atlas is megabytes of wasm heap
}

void renderer_draw(ImDrawData* data, float fb_scale) {
    int fb_w = (int)(data->DisplaySize.x * fb_scale);
    int fb_h = (int)(data->DisplaySize.y * fb_scale);
    if (fb_w <= 0 || fb_h <= 0) return;
    glViewport(0, 0, fb_w, fb_h);
    glEnable(GL_BLEND);
    glBlendEquation(GL_FUNC_ADD);
    glBlendFuncSeparate(GL_SRC_ALPHA, GL_ONE_MINUS_SRC_ALPHA, GL_ONE, GL_ONE_MINUS_SRC_ALPHA);
    glDisable(GL_CULL_FACE);
    glDisable(GL_DEPTH_TEST);
    glEnable(GL_SCISSOR_TEST);

    float L = data->DisplayPos.x, R = L + data->DisplaySize.x;
    float T = data->DisplayPos.y, B = T + data->DisplaySize.y;
    const float projection[16] = {
        2.0f / (R - L), 0, 0, 0,  0, 2.0f / (T - B), 0, 0,  0, 0, -1, 0,
        (R + L) / (L - R), (T + B) / (B - T), 0, 1};
    glUseProgram(gl.program);
    glUniformMatrix4fv(gl.u_projection, 1, GL_FALSE, projection);
    glUniform1i(gl.u_texture, 0);
    glActiveTexture(GL_TEXTURE0);
    glBindVertexArray(gl.vao);
    glBindBuffer(GL_ARRAY_BUFFER, gl.vbo);
    glBindBuffer(GL_ELEMENT_ARRAY_BUFFER, gl.ibo);

    for (int n = 0; n < data->CmdListsCount; ++n) {
        const ImDrawList* list = data->CmdLists[n];
        glBufferData(GL_ARRAY_BUFFER, list->VtxBuffer.Size * sizeof(ImDrawVert), list->VtxBuffer.Data, GL_STREAM_DRAW);
        glBufferData(GL_ELEMENT_ARRAY_BUFFER, list->IdxBuffer.Size * sizeof(ImDrawIdx), list->IdxBuffer.Data, GL_STREAM_DRAW);
        for (const ImDrawCmd& cmd : list->CmdBuffer) {
            if (cmd.UserCallback) {
                cmd.UserCallback(list, &cmd);
                continue;
            }
            ImVec2 clip_min((cmd.ClipRect.x - L) * fb_scale, (cmd.ClipRect.y - T) * fb_scale);
            ImVec2 clip_max((cmd.ClipRect.z - L) * fb_scale, (cmd.ClipRect.w - T) * fb_scale);
            if (clip_max.x <= clip_min.x || clip_max.y <= clip_min.y) continue;
            glScissor((int)clip_min.x, (int)(fb_h - clip_max.y), (int)(clip_max.x - clip_min.x), (int)(clip_max.y - clip_min.y));
            glBindTexture(GL_TEXTURE_2D, (GLuint)(intptr_t)cmd.GetTexID());
            glDrawElements(GL_TRIANGLES, (GLsizei)cmd.ElemCount, GL_UNSIGNED_INT,
                           (void*)(intptr_t)(cmd.IdxOffset * sizeof(ImDrawIdx)));
        }
    }
    glDisable(GL_SCISSOR_TEST);
    glBindVertexArray(0);
}

void renderer_forget() { gl = GlState{}; }

}  // namespace crm::platform
