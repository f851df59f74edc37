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


def describe_ids(result, generator, request, public):
    """Every {id} in a path is the object's number: said once here, in Chinese, for every endpoint."""
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                if parameter.get("in") == "path" and parameter.get("name") == "id":
                    parameter["description"] = "对象编号（整数）；看不到或不存在的对象一律 404"
    return result
