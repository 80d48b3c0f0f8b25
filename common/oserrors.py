"""What the operating system said, in the user's words.

`OSError.strerror` is English ("File name too long", "Permission denied"); a user reading a Chinese message
needs the cause in Chinese. The common causes are named; any other keeps its errno so support can look it up.
"""

from __future__ import annotations

import errno

_WORDS = {
    errno.ENOENT: "不存在",
    errno.EACCES: "没有访问权限",
    errno.EPERM: "没有访问权限",
    errno.ENAMETOOLONG: "路径或文件名过长",
    errno.ELOOP: "符号链接循环",
    errno.ENOTDIR: "路径中有一段不是文件夹",
    errno.EISDIR: "是文件夹而不是文件",
    errno.EIO: "磁盘读写错误",
    errno.ENOSPC: "磁盘空间已满",
    errno.EROFS: "磁盘为只读",
    errno.EEXIST: "已存在",
    errno.EBUSY: "正被占用",
    errno.EMFILE: "同时打开的文件过多",
    errno.EXDEV: "不能跨磁盘移动",
}


class NotRegularFile(OSError):
    """An output path that names a device, a pipe or a socket: replacing it would break the system
    (`-o /dev/full` as root turned the device into a file)."""


def os_error_words(err: BaseException) -> str:
    """The cause of an OSError in Chinese (with the system's error number when it is not a common one)."""
    if isinstance(err, NotRegularFile):
        return "不是普通文件（是设备、管道等特殊文件），不能写入"
    code = getattr(err, "errno", None)
    if code in _WORDS:
        return _WORDS[code]
    if isinstance(code, int):
        return f"系统错误 {errno.errorcode.get(code, code)}"
    return "系统错误"
