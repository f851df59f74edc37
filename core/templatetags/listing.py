from django import template

from core.listing import EXPORT_PARAM

register = template.Library()


@register.simple_tag(takes_context=True)
def export_query(context, file_format):
    """The current query string (filters and sort), without the page, asking for file_format."""
    params = context["request"].GET.copy()
    for name in [key for key in params if key == "page" or key.endswith("page") or key == EXPORT_PARAM]:
        del params[name]
    params[EXPORT_PARAM] = file_format
    return "?" + params.urlencode()
