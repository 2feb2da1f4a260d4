// The UI font: a Latin font with a Chinese subset merged in, rasterized at text size x
// devicePixelRatio so text stays sharp, then drawn at 1/dpr scale in CSS px.
#pragma once
#include <cstdlib>
#include <string>

namespace crm::ui {

struct FontFiles {
    // 0: Latin TTF, 1: CJK TTF, 2: UTF-8 list of the CJK subset's characters.
    unsigned char* data[3] = {};
    int size[3] = {};
    void set(int which, unsigned char* bytes, int n) {
        if (which < 0 || which > 2) return free(bytes);
        free(data[which]);
        data[which] = bytes;
        size[which] = n;
    }
};

// Rebuilds ImGui's font atlas (call between frames; upload the texture afterwards).
void fonts_build(const FontFiles& files, float text_size_css, float dpr);

}  // namespace crm::ui
