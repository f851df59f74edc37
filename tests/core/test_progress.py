"""The importers' progress bar: its text, when it is drawn, and the commands' --progress."""

import io

from django.core.management import call_command

from core.progress import Progress, bar_text


def test_it_draws_an_empty_bar_at_zero():
    assert bar_text(0, 10_000) == "导入进度 [--------------------] 0/10,000 行"


def test_it_draws_half_a_bar_at_half_way():
    assert bar_text(5_000, 10_000) == "导入进度 [##########----------] 5,000/10,000 行"


def test_it_draws_a_full_bar_when_all_rows_are_read():
    assert bar_text(10_000, 10_000) == "导入进度 [####################] 10,000/10,000 行"


def test_it_shows_the_count_alone_when_the_total_is_unknown():
    assert bar_text(1_234, None) == "导入进度 1,234 行"


def test_it_redraws_at_most_ten_times_a_second_but_always_at_the_end():
    stream = io.StringIO()
    now = [0.0]
    progress = Progress(stream=stream, clock=lambda: now[0])
    for done in range(1, 101):
        progress(done, 100)
    drawn = stream.getvalue().split("\r")[1:]
    assert drawn == [bar_text(1, 100), bar_text(100, 100)]


def test_it_is_silent_when_disabled():
    stream = io.StringIO()
    progress = Progress(stream=stream, enabled=False)
    progress(5, 10)
    progress.finish()
    assert stream.getvalue() == ""


def _import_sample(path, *flags):
    out, err = io.StringIO(), io.StringIO()
    call_command("import_allocations", str(path), "--document", "新财社〔2023〕999号", "--dry-run", *flags, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_it_prints_the_row_count_with_progress(reference_data, sample_workbook_path):
    out, err = _import_sample(sample_workbook_path, "--progress")
    last = err.rstrip("\n").split("\r")[-1]
    assert last.startswith("导入进度 [####################] ")
    done, total = last.split("] ")[1].removesuffix(" 行").split("/")
    assert done == total and int(total.replace(",", "")) > 100  # the 100 lines plus title, header and subtotal rows
    assert out.startswith("校验通过（未写入）")


def test_it_is_silent_at_verbosity_zero_even_with_progress(reference_data, sample_workbook_path):
    _out, err = _import_sample(sample_workbook_path, "--progress", "--verbosity", "0")
    assert err == ""


def test_it_is_silent_without_progress_when_stderr_is_not_a_terminal(reference_data, sample_workbook_path):
    _out, err = _import_sample(sample_workbook_path)
    assert err == ""
