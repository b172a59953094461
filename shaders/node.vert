#version 410 core
// Impostor spheres: one camera-facing quad per node instance, shaded as a sphere in the fragment shader.
layout(location = 0) in vec2 corner;      // quad corner in [-1, 1]^2
layout(location = 1) in vec3 center;      // per instance
layout(location = 2) in float radius;     // per instance
layout(location = 3) in vec4 color;       // per instance, normalised RGBA8

uniform mat4 view;
uniform mat4 proj;
uniform float radiusScale;
uniform vec2 viewport;                    // pixels
uniform float minPixelRadius;             // keep far nodes visible

out vec2 vCorner;
out vec4 vColor;
out vec3 vCenterEye;
out float vRadius;

void main() {
    vec4 eye = view * vec4(center, 1.0);
    float r = radius * radiusScale;
    // Grow the quad so that a node never shrinks below minPixelRadius on screen.
    float pixelsPerUnit = proj[1][1] * viewport.y * 0.5 / max(-eye.z, 1e-6);
    r = max(r, minPixelRadius / pixelsPerUnit);
    vec4 cornerEye = eye + vec4(corner * r, 0.0, 0.0);
    gl_Position = proj * cornerEye;
    vCorner = corner;
    vColor = color;
    vCenterEye = eye.xyz;
    vRadius = r;
}
