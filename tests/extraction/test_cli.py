"""`review extraction check|link` as the lead wires it (add_arguments + run)."""
import argparse
import shutil

from review.extraction import cli

from .conftest import REPO, SAMPLE, SAMPLE_ROWS, copy_studies, edit_study, write_included


def _review(tmp_path):
    shutil.copy(REPO / "protocol.yaml", tmp_path / "protocol.yaml")
    (tmp_path / "extraction").mkdir()
    shutil.copy(REPO / "extraction" / "form.yaml", tmp_path / "extraction" / "form.yaml")
    copy_studies(tmp_path / "extraction" / "studies", SAMPLE)
    write_included(tmp_path / "output" / "tables" / "included.csv", SAMPLE_ROWS)
    return tmp_path


def _args(*argv):
    parser = argparse.ArgumentParser()
    cli.add_arguments(parser)
    return parser.parse_args(list(argv))


def test_check_exit_codes(tmp_path, capsys):
    review = _review(tmp_path)
    assert cli.run(_args("check", "--review", str(review))) == 0
    edit_study(review / "extraction/studies/kassah2016.yaml", lambda d: d.update(method_class="kvalitativ"))
    assert cli.run(_args("check", "--review", str(review))) == 1
    out = capsys.readouterr().out
    assert "kassah2016.yaml: study 'kassah2016', field 'method_class'" in out and "1 problem(s)" in out


def test_link_write(tmp_path, capsys):
    review = _review(tmp_path)
    edit_study(review / "extraction/studies/kassah2016.yaml", lambda d: d.update(work_id=None))
    assert cli.run(_args("link", "--review", str(review), "--write")) == 0
    assert "wrote work_id into 1 file(s): kassah2016" in capsys.readouterr().out
    assert cli.run(_args("check", "--review", str(review))) == 0
