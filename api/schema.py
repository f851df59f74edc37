"""What the OpenAPI schema needs told: how a token is sent. Imported by ApiConfig.ready."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.ApiTokenAuthentication"
    name = "ApiToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "自治区管理员在管理后台（接口令牌）创建的令牌：Authorization: Bearer <令牌>。"
            "令牌带有角色和（财政业务员角色的）所属地（州、市），权限与该角色的用户相同。",
        }
