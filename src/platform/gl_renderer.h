// Draws ImGui's draw lists with WebGL2 (GLES 3.0), using the shaders in shaders/.
// Knows nothing about the app; survives context loss by recreating its GL objects.
#pragma once
struct ImDrawData;

namespace crm::platform {

// Creates shaders and buffers. Returns false (with a message on stderr) if GL refuses.
bool renderer_init();
// (Re)uploads ImGui's font atlas as an R8 texture and frees the CPU copy's RGBA form.
void renderer_upload_fonts();
// Renders one frame. fb_scale converts ImGui units (CSS px) to framebuffer pixels.
void renderer_draw(ImDrawData* data, float fb_scale);
// Drops every GL object (after webglcontextlost); renderer_init() recreates them.
void renderer_forget();

}  // namespace crm::platform
