// Dear ImGui build configuration for the CRM (passed as IMGUI_USER_CONFIG).
#pragma once
// WebGL2 has no base-vertex draws, so big tables need 32-bit indices (64K-vertex limit).
#define ImDrawIdx unsigned int
// Every widget is published to window.crm.test through the test-engine hooks, always:
// browser tests find and tap widgets by label (see src/ui/test_registry.h).
#define IMGUI_ENABLE_TEST_ENGINE
#define IMGUI_DISABLE_OBSOLETE_FUNCTIONS
#define IMGUI_DISABLE_DEMO_WINDOWS
#define IMGUI_DISABLE_DEBUG_TOOLS
