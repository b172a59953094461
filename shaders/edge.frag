#version 410 core
uniform vec4 edgeColor;
out vec4 fragColor;
void main() {
    fragColor = edgeColor;
}
