#version 410 core
layout(location = 1) in vec3 position;   // the node position buffer, indexed by the edge index buffer
uniform mat4 view;
uniform mat4 proj;
void main() {
    gl_Position = proj * view * vec4(position, 1.0);
}
