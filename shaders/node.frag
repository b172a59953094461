#version 410 core
in vec2 vCorner;
in vec4 vColor;
in vec3 vCenterEye;
in float vRadius;

uniform mat4 proj;

out vec4 fragColor;

void main() {
    float d2 = dot(vCorner, vCorner);
    if (d2 > 1.0) discard;
    vec3 n = vec3(vCorner, sqrt(1.0 - d2));
    // Correct depth so that intersecting spheres occlude properly.
    vec4 clip = proj * vec4(vCenterEye + n * vRadius, 1.0);
    gl_FragDepth = clip.z / clip.w * 0.5 + 0.5;
    vec3 light = normalize(vec3(0.4, 0.6, 1.0));
    float diffuse = max(dot(n, light), 0.0);
    float spec = pow(max(dot(reflect(-light, n), vec3(0.0, 0.0, 1.0)), 0.0), 24.0);
    vec3 rgb = vColor.rgb * (0.35 + 0.65 * diffuse) + vec3(0.25) * spec;
    fragColor = vec4(rgb, vColor.a);
}
