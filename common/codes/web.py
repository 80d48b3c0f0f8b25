"""Problem codes of the web service (assess serve): code -> Chinese meaning."""

CODES: dict[str, str] = {
    "web-file-type": "上传的文件不是 Excel 工作簿（.xlsx）或 CSV 文件的 zip 压缩包（按文件内容判断，不看扩展名），或压缩包中有非填报文件",
    "web-zip-bomb": "上传的文件解压后异常巨大或文件过多（疑似“压缩炸弹”），未读取即拒收",
    "web-too-large": "上传的文件超过大小上限（默认 20 MB）",
    "web-wrong-unit": "上传的数据中没有本单位，或含有其他单位：每个单位只能报送本单位的数据",
    "web-scheme-encoding": "上传的考核细则文件不是 UTF-8 编码的文本",
    "web-check-died": "检查上传数据的进程意外退出（文件损坏、过大或含异常内容）：这份上传按有错误处理，服务不受影响",
    "web-login-locked": "同一账号或同一地址15分钟内登录失败5次，暂时锁定15分钟（防止猜密码）",
    "evidence-missing": "考核细则要求的佐证材料（evidence，required）本单位尚未上传；细则写了 deduct 的，评分时按此扣分",
    "evidence-too-many": "同一份佐证材料上传的文件已达上限（每份最多 5 个文件）",
    "web-demo-seed": "演示数据：由 assess serve --demo 预先提交，未运行自查",
}
