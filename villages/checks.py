"""System checks for what the app needs from the machine (STYLE.md §32), each with a Chinese hint."""

from __future__ import annotations

import os
import shutil
import subprocess

from django.conf import settings
from django.core.checks import Error, Warning, register
from django.core.files.storage import default_storage

from . import media as media_files

CJK_FONT_FAMILY = "Noto Sans CJK SC"
# Noto Sans CJK lacks many rare name characters (生僻字, CJK Ext-B such as 𪚥); fontconfig falls back to
# the Hanazono Mincho fonts for them, so names print as characters, not boxes (ENVIRONMENT.md).
RARE_CHARACTER_FONT = "HanaMinB"


def cjk_font_available() -> bool:
    """True when fontconfig (which WeasyPrint and matplotlib use) knows a Simplified Chinese font."""
    if not shutil.which("fc-list"):
        return False
    result = subprocess.run(["fc-list", ":lang=zh-cn", "family"], capture_output=True, text=True, check=False)
    return CJK_FONT_FAMILY in result.stdout


def check_cjk_font(app_configs=None, **kwargs):
    if cjk_font_available():
        return []
    return [
        Error(
            f"没有找到中文字体 {CJK_FONT_FAMILY}：PDF 中的汉字会显示为方框。",
            hint="请以 root 身份运行：apt-get install fonts-noto-cjk libharfbuzz-subset0（或运行 make run，它会自动安装）。",
            id="villages.E001",
        )
    ]


def rare_character_font_available() -> bool:
    if not shutil.which("fc-list"):
        return False
    result = subprocess.run(["fc-list", ":", "family"], capture_output=True, text=True, check=False)
    return RARE_CHARACTER_FONT in result.stdout


def check_rare_character_font(app_configs=None, **kwargs):
    if rare_character_font_available():
        return []
    return [
        Warning(
            f"没有找到生僻字字体 {RARE_CHARACTER_FONT}：姓名中的生僻字（如“𪚥”）在 PDF 中会显示为方框。",
            hint="请以 root 身份运行：apt-get install fonts-hanazono（或运行 make run，它会自动安装）。",
            id="villages.W002",
        )
    ]


def check_stroke_data(app_configs=None, **kwargs):
    """Lists print in surname-stroke order from the Unihan stroke counts (villages.strokes)."""
    from . import strokes

    if strokes.data_available():
        return []
    return [
        Warning(
            f"没有找到汉字笔画数据 {strokes.UNIHAN_IRG_SOURCES}：选民名单、委托投票名单和候选人名单无法按姓氏笔画排序，将按字符编码排序。",
            hint="请以 root 身份运行：apt-get install unicode-data（或运行 make run，它会自动安装）。",
            id="villages.W003",
        )
    ]


def check_media_writable(app_configs=None, **kwargs):
    if not media_files.is_local(default_storage):
        return []  # an object store: /healthz writes a probe file through the storage API
    media = settings.MEDIA_ROOT
    try:
        os.makedirs(media, exist_ok=True)
    except OSError:
        pass
    if os.access(media, os.W_OK):
        return []
    return [
        Warning(
            f"上传目录 {media} 不可写：导入的 Excel 和扫描件将无法保存。",
            hint="请设置 MEDIA_ROOT 环境变量指向一个可写目录，或修改该目录的权限。",
            id="villages.W001",
        )
    ]


def register_all():
    register(check_cjk_font)
    register(check_rare_character_font)
    register(check_stroke_data)
    register(check_media_writable)
