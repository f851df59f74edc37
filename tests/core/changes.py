"""Making a recorded change in a test: who, why and (optionally) when, as the workflow would."""


def change(obj, user=None, why=None, when=None, **values):
    # `why` is the change reason; a model field called `reason` goes in values.
    for name, value in values.items():
        setattr(obj, name, value)
    obj._history_user, obj._change_reason = user, why
    if when is not None:
        obj._history_date = when
    try:
        obj.save()
    finally:
        del obj._history_user, obj._change_reason
        obj.__dict__.pop("_history_date", None)
    return obj


def delete(obj, user=None, when=None):
    obj._history_user = user
    if when is not None:
        obj._history_date = when
    obj.delete()
