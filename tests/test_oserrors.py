"""The system's causes are said in Chinese (common.oserrors)."""

from __future__ import annotations

import errno
from pathlib import Path

from common.oserrors import os_error_words
from tests.helpers import cli


def test_common_causes_are_chinese_and_others_keep_their_errno() -> None:
    assert os_error_words(OSError(errno.ENAMETOOLONG, "File name too long")) == "路径或文件名过长"
    assert os_error_words(PermissionError(errno.EACCES, "Permission denied")) == "没有访问权限"
    assert "ENOTSUP" in os_error_words(OSError(errno.ENOTSUP, "Operation not supported"))
    assert os_error_words(OSError("no errno")) == "系统错误"


def test_a_too_long_criteria_path_is_said_in_chinese(tmp_path: Path) -> None:
    result = cli("validate", str(tmp_path / ("长" * 200 + ".yaml")))
    assert result.exit_code == 1
    assert "路径或文件名过长" in result.output and "too long" not in result.output
