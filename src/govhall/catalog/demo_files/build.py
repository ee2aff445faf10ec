"""Render the demo blank forms and samples (one-off; the PDFs are committed next to this script).

Run: ``.venv/bin/python src/govhall/catalog/demo_files/build.py``. WeasyPrint subsets the Noto CJK
font, so each PDF stays a few dozen KB. ``catalog.demo_data.FILES`` names each file and its title;
the demo loader stores each once and every material that offers it shares the stored file.
"""

from __future__ import annotations

import html
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[2]))  # src/, so the titles come from the one registry

from govhall.catalog.demo_data import FILES  # noqa: E402

# Noto Sans CJK SC inside the system collection (fonts-noto-cjk). Its CFF subroutines make a
# WeasyPrint subset ~100 KB per face, so the glyphs the forms use are cut out first (no hinting, no
# layout features): each PDF then stays under 30 KB.
SYSTEM_FONT = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
SYSTEM_FONT_NUMBER = 2

CSS = """
@page { size: A4; margin: 18mm 16mm;
  @bottom-center { content: "长春市网上办事大厅 · 第 " counter(page) " 页";
                   font-family: "FormSans"; font-size: 8pt; color: #666; } }
body { font-family: "FormSans", sans-serif; font-size: 10.5pt; line-height: 1.6; }
h1 { text-align: center; font-size: 18pt; letter-spacing: 2pt; margin: 0 0 4mm; }
p.meta { text-align: right; font-size: 9pt; margin: 0 0 3mm; }
table { width: 100%; border-collapse: collapse; }
td, th { border: 0.6pt solid #000; padding: 2.2mm 2mm; vertical-align: top; }
th { width: 26%; background: #f2f2f2; font-weight: normal; text-align: left; }
td.tall { height: 28mm; }
.filled { color: #1a4fa0; }
.note { font-size: 9pt; margin-top: 4mm; }
.sign { margin-top: 8mm; text-align: right; }
.watermark { position: fixed; top: 110mm; left: 30mm; font-size: 60pt;
             color: rgba(200, 0, 0, 0.12); transform: rotate(-30deg); }
"""

PERSON_ROWS = [
    ("申请人姓名", "张三"),
    ("身份证号码", "220102199003071234"),
    ("联系电话", "13800000001"),
    ("住址", "长春市南关区人民大街9999号"),
    ("申请事项", "城乡居民养老保险参保登记"),
    ("申请内容及理由", "本人为长春市户籍城乡居民，未参加职工基本养老保险，申请参加城乡居民养老保险。"),
]
ENTERPRISE_ROWS = [
    ("单位名称", ""),
    ("统一社会信用代码", ""),
    ("法定代表人（负责人）", ""),
    ("住所（经营场所）", ""),
    ("联系人及电话", ""),
    ("申请事项", ""),
    ("申请内容", ""),
]
LICENSE_ROWS = [
    ("申请人名称", "长春市示例餐饮管理有限公司"),
    ("统一社会信用代码", "91220102MA00000000"),
    ("法定代表人", "李四"),
    ("住所", "长春市朝阳区西安大路1585号"),
    ("申请许可事项", "食品经营许可（餐饮服务）"),
    ("许可范围", "热食类食品制售、冷食类食品制售"),
    ("联系人及电话", "王五 0431-85951234"),
]
FOOD_ROWS = [
    ("经营者名称", ""),
    ("统一社会信用代码", ""),
    ("法定代表人（负责人）", ""),
    ("经营场所", ""),
    ("主体业态", "□食品销售经营者　□餐饮服务经营者　□单位食堂"),
    ("经营项目", "□预包装食品销售　□散装食品销售　□热食类食品制售　□冷食类食品制售"),
    ("食品安全管理人员", ""),
]
HYGIENE_ROWS = [
    ("单位名称", ""),
    ("统一社会信用代码", ""),
    ("法定代表人（负责人）", ""),
    ("经营地址", ""),
    ("经营项目", "□住宿场所　□沐浴场所　□美容美发场所　□游泳场所　□其他"),
    ("经营面积（平方米）", ""),
    ("从业人员数 / 持健康合格证明人数", ""),
]
REGISTRATION_ROWS = [
    ("名称", ""),
    ("类型", "□有限责任公司　□个体工商户　□个人独资企业　□合伙企业"),
    ("住所（经营场所）", ""),
    ("法定代表人 / 经营者", ""),
    ("注册资本（出资额）", ""),
    ("经营范围", ""),
    ("登记类型", "□设立　□变更　□注销　□备案"),
]


def table(rows: list[tuple[str, str]], filled: bool = False, tall: str = "") -> str:
    cells = []
    for label, value in rows:
        css = ' class="tall"' if label == tall else ""
        text = f'<span class="filled">{html.escape(value)}</span>' if filled else html.escape(value)
        cells.append(f"<tr><th>{html.escape(label)}</th><td{css}>{text}</td></tr>")
    return "<table>" + "".join(cells) + "</table>"


PROMISE = (
    '<p class="note">申请人承诺：所填写内容和提交的材料真实、合法、有效，复印件与原件一致，'
    "如有虚假，愿承担相应法律责任。</p>"
)


def sign(who: str = "申请人（签字或盖章）") -> str:
    return f'<p class="sign">{who}：＿＿＿＿＿＿＿　　　年　　月　　日</p>'


AGENT_LETTER = """
<p>委托人：＿＿＿＿＿＿＿＿　身份证号码（统一社会信用代码）：＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿</p>
<p>受托人：＿＿＿＿＿＿＿＿　身份证号码：＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿　联系电话：＿＿＿＿＿＿</p>
<p>现委托受托人代为办理＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿事项，委托权限如下：</p>
<p>□提交申请材料　□核对、修改材料中的填写错误　□领取受理通知书、办理结果　□其他：＿＿＿＿＿＿</p>
<p>委托期限：自　　年　　月　　日至　　年　　月　　日。</p>
<p>受托人在上述权限和期限内办理的相关事项，委托人均予以认可，并承担相应的法律责任。</p>
"""


def bodies() -> dict[str, str]:
    """Each file's HTML body, keyed as ``FILES``."""
    return {
        "agent_letter": AGENT_LETTER + sign("委托人（签字或盖章）") + sign("受托人（签字）"),
        "person_form": table([(label, "") for label, _ in PERSON_ROWS], tall="申请内容及理由") + PROMISE + sign(),
        "person_sample": '<div class="watermark">示例</div>'
        + table(PERSON_ROWS, filled=True, tall="申请内容及理由")
        + PROMISE
        + '<p class="sign">申请人（签字或盖章）：<span class="filled">张三</span>　2026年3月1日</p>',
        "enterprise_form": table(ENTERPRISE_ROWS, tall="申请内容") + PROMISE + sign("法定代表人（签字）/ 单位（盖章）"),
        "license_form": table([(label, "") for label, _ in LICENSE_ROWS])
        + '<p class="note">依据《中华人民共和国行政许可法》第二十九条、第三十一条提出申请。</p>'
        + PROMISE
        + sign(),
        "license_sample": '<div class="watermark">示例</div>'
        + table(LICENSE_ROWS, filled=True)
        + PROMISE
        + '<p class="sign">申请人（盖章）：<span class="filled">长春市示例餐饮管理有限公司</span>　2026年3月1日</p>',
        "food_form": table(FOOD_ROWS) + PROMISE + sign("法定代表人（负责人）签字"),
        "hygiene_form": table(HYGIENE_ROWS) + PROMISE + sign("法定代表人（负责人）签字"),
        "registration_form": table(REGISTRATION_ROWS, tall="经营范围") + PROMISE + sign("申请人 / 经营者（签字）"),
    }


def subset_font(text: str, target: Path) -> Path:
    """The system font cut down to the characters in ``text``, without CFF subroutines."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    options = subset.Options()
    options.hinting = False
    options.layout_features = []
    options.name_IDs = ["*"]
    font = TTFont(SYSTEM_FONT, fontNumber=SYSTEM_FONT_NUMBER)
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=text)
    subsetter.subset(font)
    font.save(target)
    return target


def document(key: str, body: str, font: Path) -> str:
    title = html.escape(FILES[key][1])
    face = f'@font-face {{ font-family: "FormSans"; src: url("{font.as_uri()}"); }}'
    return (
        f'<html lang="zh-CN"><head><meta charset="utf-8"><title>{title}</title>'
        f"<style>{face}{CSS}</style></head><body><h1>{title}</h1>"
        f'<p class="meta">编号：＿＿＿＿＿＿</p>{body}</body></html>'
    )


def main() -> None:
    from weasyprint import HTML

    pages = bodies()
    with tempfile.TemporaryDirectory() as tmp:
        sources = {key: document(key, body, Path(tmp) / "form-sans.otf") for key, body in pages.items()}
        characters = "".join(sources.values()) + "长春市网上办事大厅第页0123456789"
        font = subset_font(characters, Path(tmp) / "form-sans.otf")
        for key, source in sources.items():
            path = HERE / FILES[key][0]
            HTML(string=source).write_pdf(path)
            print(f"{path.name}: {path.stat().st_size / 1024:.1f} KB (font {font.stat().st_size / 1024:.0f} KB)")


if __name__ == "__main__":
    main()
