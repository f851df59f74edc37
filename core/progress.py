"""A progress bar with a count for the command-line importers.

Drawn on stderr, so the one-line result on stdout stays what scripts read;
only when stderr is a terminal or --progress asks for it, and never at
verbosity 0, so tests and cron jobs stay quiet. The importers call it once a
row: redrawing is throttled here, not there.
"""

import sys
import time

from django.utils.translation import gettext as _

WIDTH = 20
REDRAW_SECONDS = 0.1


def bar_text(done, total, label=None, unit=None, width=WIDTH):
    """'导入进度 [#####-----] 5,000/10,000 行'; with no known total, the count alone."""
    label = _("导入进度") if label is None else label
    unit = _("行") if unit is None else unit
    if not total:
        return f"{label} {done:,} {unit}"
    done = min(done, total)
    filled = width * done // total
    return f"{label} [{'#' * filled}{'-' * (width - filled)}] {done:,}/{total:,} {unit}"


class Progress:
    def __init__(self, stream=None, enabled=True, label=None, unit=None, clock=time.monotonic):
        self.stream = stream if stream is not None else sys.stderr
        self.enabled = enabled
        self.label = label
        self.unit = unit
        self.clock = clock
        self.last = None
        self.shown = None

    def __call__(self, done, total=None):
        if not self.enabled:
            return
        self.shown = (done, total)
        now = self.clock()
        if self.last is not None and now - self.last < REDRAW_SECONDS and done != total:
            return
        self.last = now
        self._draw()

    def _draw(self):
        done, total = self.shown
        # \r redraws the line in a terminal; a redirected log gets every state.
        self.stream.write("\r" + bar_text(done, total, self.label, self.unit))
        self.stream.flush()

    def finish(self):
        if self.enabled and self.shown is not None:
            self._draw()
            self.stream.write("\n")
            self.stream.flush()


def add_argument(parser):
    parser.add_argument("--progress", action="store_true", help=_("显示进度条（默认仅在终端中显示）"))


def for_command(command, options):
    """The Progress a management command should use, given its options."""
    stream = command.stderr._out if hasattr(command.stderr, "_out") else sys.stderr
    wanted = options.get("progress") or _is_tty(stream)
    return Progress(stream=stream, enabled=bool(wanted) and options.get("verbosity", 1) > 0)


def _is_tty(stream):
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
