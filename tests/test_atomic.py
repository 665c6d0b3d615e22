"""Outputs written through a temporary name get the permissions a plain write would give."""

import os
import stat

from textcls.atomic import open_atomic, staging_folder, write_atomic, write_csv


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_files_and_folders_follow_the_umask_not_mkstemp(tmp_path):
    mask = _umask()
    write_atomic(tmp_path / "a.bin", b"x")
    with open_atomic(tmp_path / "b.txt") as out:
        out.write("y")
    write_csv(tmp_path / "c.csv", [{"id": "r1"}], ["id"])
    plain = tmp_path / "plain.txt"
    plain.write_text("z")
    for name in ("a.bin", "b.txt", "c.csv"):
        assert _mode(tmp_path / name) == _mode(plain) == 0o666 & ~mask
    folder = staging_folder(tmp_path, ".run-")
    (tmp_path / "made").mkdir()
    assert _mode(folder) == _mode(tmp_path / "made") == 0o777 & ~mask
