#version 300 es
// The font atlas is a single-channel (R8) texture: coverage in .r. Solid shapes sample the
// atlas's white pixel, so one shader draws text and geometry.
precision mediump float;
uniform sampler2D u_texture;
in vec2 v_uv;
in vec4 v_color;
layout (location = 0) out vec4 out_color;
void main() {
    out_color = vec4(v_color.rgb, v_color.a * texture(u_texture, v_uv).r);
}
