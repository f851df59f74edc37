"""Language helpers (issue 6): the official forms stay Chinese."""

from functools import wraps

from django.utils import translation


def in_chinese(func):
    # The 附件 workbooks are official Chinese forms that are read back in;
    # an English interface must not turn their labels into English.
    # A fresh override per call: a shared decorator instance would keep
    # one thread's previous language on the instance for another.
    @wraps(func)
    def wrapper(*args, **kwargs):
        with translation.override("zh-hans"):
            return func(*args, **kwargs)

    return wrapper
