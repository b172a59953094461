#version 410 core
in vec2 vUV;
in vec4 vColor;
uniform sampler2D tex;
out vec4 fragColor;
void main() {
    fragColor = vColor * texture(tex, vUV);
}
