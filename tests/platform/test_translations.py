"""The interface in the UN languages: every string of the code is in the French and Spanish catalogues and
translated; every catalogue compiles with its placeholders intact; Arabic reads right to left; the language
switch is remembered; the Chinese and Russian pages are in Chinese and Russian."""

from __future__ import annotations

import re
import shlex
from collections import Counter
from io import BytesIO

import pytest
from babel.messages.frontend import CommandLineInterface
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from config.settings import ROOT
from forum import LANGUAGE_NAMES, LANGUAGES

CATALOGUES = ROOT / "forum" / "translations"
#: the languages whose interface must be complete; a new string fails the suite until it is translated
COMPLETE = ("fr", "es")
#: a placeholder of either kind, and the %% of a literal percent sign (Jinja formats every template string)
PLACEHOLDER = re.compile(r"%\([A-Za-z_]\w*\)[-#0 +]*\d*(?:\.\d+)?[sdifr]|%[sdifr]|%%|\{[A-Za-z_]\w*\}")


def _catalogue(lang: str):
    with (CATALOGUES / lang / "LC_MESSAGES" / "messages.po").open("rb") as f:
        return read_po(f, locale=lang)


def _extract_command() -> list[str]:
    """The `pybabel extract` line of the Makefile's translations recipe, so the test extracts what it does."""
    for line in (ROOT / "Makefile").read_text().splitlines():
        if "pybabel extract" in line:
            argv = shlex.split(line.replace("$(BIN)/", ""))
            return argv[argv.index("pybabel") :]
    raise AssertionError("the Makefile has no `pybabel extract` line in its translations recipe")


@pytest.fixture(scope="module")
def extracted(tmp_path_factory, monkeypatch_module):
    """Every message of the code, extracted into a temporary template exactly as `make translations` does."""
    argv = _extract_command()
    pot = tmp_path_factory.mktemp("i18n") / "messages.pot"
    argv[argv.index("-o") + 1] = str(pot)
    monkeypatch_module.chdir(ROOT)
    CommandLineInterface().run(argv)
    with pot.open("rb") as f:
        template = read_po(f)
    return [message for message in template if message.id]


@pytest.fixture(scope="module")
def monkeypatch_module():
    with pytest.MonkeyPatch.context() as patch:
        yield patch


def _label(message) -> str:
    where = ", ".join(f"{path}:{line}" for path, line in message.locations[:2])
    msgid = message.id if isinstance(message.id, str) else message.id[0]
    return f"{msgid!r} ({where})"


def _is_translated(message) -> bool:
    if message is None or message.fuzzy:
        return False
    forms = message.string if isinstance(message.string, tuple | list) else (message.string,)
    return all(form for form in forms)


def test_the_extraction_finds_the_interface_strings(extracted):
    ids = {m.id for m in extracted}
    assert {"GFMD Forum", "The Forum's chairmanship cycles", "Steering Group"} <= ids
    assert len(ids) > 1000


@pytest.mark.parametrize("lang", COMPLETE)
def test_every_string_of_the_code_is_translated(extracted, lang):
    catalogue = _catalogue(lang)
    missing = [_label(m) for m in extracted if catalogue.get(m.id) is None]
    untranslated = [_label(m) for m in extracted if m.id in catalogue and not _is_translated(catalogue.get(m.id))]
    problems = ["missing: " + m for m in missing] + ["untranslated: " + m for m in untranslated]
    assert problems == [], (
        f"{lang}: {len(missing)} strings are not in the catalogue (run `make translations`) and "
        f"{len(untranslated)} are untranslated or fuzzy; translate them in forum/translations/{lang}:\n"
        + "\n".join(problems)
    )


def test_the_navigation_and_footer_are_translated_in_every_language(extracted):
    """The page frame (base.html) is complete in every language, Arabic, Chinese and Russian included."""
    frame = [m for m in extracted if any(path.endswith("templates/base.html") for path, _ in m.locations)]
    assert len(frame) > 20
    gaps = {
        lang: [_label(m) for m in frame if not _is_translated(_catalogue(lang).get(m.id))]
        for lang in LANGUAGES
        if lang != "en"
    }
    assert all(not found for found in gaps.values()), gaps


def test_every_interface_language_has_a_catalogue():
    assert LANGUAGES[0] == "en"
    for lang in LANGUAGES[1:]:
        catalogue = _catalogue(lang)
        assert str(catalogue.locale) == lang
        assert catalogue.num_plurals >= 1


@pytest.mark.parametrize("lang", [lang for lang in LANGUAGES if lang != "en"])
def test_every_catalogue_compiles_and_keeps_its_placeholders(lang):
    catalogue = _catalogue(lang)
    compile_errors = [f"{_label(m)}: {'; '.join(map(str, errors))}" for m, errors in catalogue.check()]
    write_mo(BytesIO(), catalogue, use_fuzzy=True)

    wrong = []
    for message in catalogue:
        if not message.id or not _is_translated(message):
            continue
        if isinstance(message.id, tuple):
            wanted = [Counter(PLACEHOLDER.findall(message.id[0])), Counter(PLACEHOLDER.findall(message.id[1]))]
            forms = list(message.string)
            if len(forms) != catalogue.num_plurals:
                wrong.append(f"{_label(message)}: {len(forms)} plural forms, the language has {catalogue.num_plurals}")
        else:
            wanted = [Counter(PLACEHOLDER.findall(message.id))]
            forms = [message.string]
        for form in forms:
            found = Counter(PLACEHOLDER.findall(form))
            if found not in wanted:
                wrong.append(f"{_label(message)} -> {form!r}: {sorted(found.elements())}")
            if form.count("%") != (message.id[1] if isinstance(message.id, tuple) else message.id).count("%"):
                wrong.append(f"{_label(message)} -> {form!r}: a stray %")
    assert compile_errors + wrong == [], "\n".join(compile_errors + wrong)


def _html_tag(page: str) -> str:
    return re.search(r"<html[^>]*>", page).group(0)


def test_an_arabic_page_reads_right_to_left_with_the_rtl_bootstrap(client):
    client.set_cookie("lang", "ar")
    page = client.get("/").get_data(as_text=True)
    assert 'dir="rtl"' in _html_tag(page)
    assert 'lang="ar"' in _html_tag(page)
    assert re.search(r'<link rel="stylesheet" href="[^"]*/vendor/bootstrap/bootstrap\.rtl\.min\.css"', page)
    assert "bootstrap.min.css" not in page
    assert '<a class="navbar-brand fw-semibold" href="/">المنتدى العالمي</a>' in page  # the brand, in Arabic


@pytest.mark.parametrize("lang", [lang for lang in LANGUAGES if lang != "ar"])
def test_pages_in_the_other_languages_read_left_to_right(client, lang):
    client.set_cookie("lang", lang)
    page = client.get("/bodies").get_data(as_text=True)
    assert 'dir="ltr"' in _html_tag(page)
    assert "bootstrap.rtl.min.css" not in page
    assert re.search(r'<link rel="stylesheet" href="[^"]*/vendor/bootstrap/bootstrap\.min\.css"', page)


def test_the_language_switch_is_remembered_by_later_requests(client):
    response = client.post("/language", data={"lang": "fr", "next": "/bodies"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/bodies"
    cookie = next(c for c in response.headers.getlist("Set-Cookie") if c.startswith("lang=fr"))
    assert "Max-Age=31536000" in cookie  # a year
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie

    later = client.get("/cycles/2010").get_data(as_text=True)
    assert 'lang="fr"' in _html_tag(later)
    assert "Groupe de pilotage" in client.get("/bodies").get_data(as_text=True)
    # even against the browser's own preference
    spanish_browser = client.get("/", headers={"Accept-Language": "es"}).get_data(as_text=True)
    assert "Les cycles de présidence du Forum" in spanish_browser


def test_the_switcher_offers_every_language_in_its_own_name(client):
    client.set_cookie("lang", "ru")
    page = client.get("/").get_data(as_text=True)
    switcher = re.search(r'<select[^>]*name="lang".*?</select>', page, re.S).group(0)
    offered = re.findall(r'<option value="(\w+)"[^>]*>([^<]+)</option>', switcher)
    assert offered == [(code, LANGUAGE_NAMES[code]) for code in LANGUAGES]
    assert [name for code, name in offered if code in ("fr", "es", "ar", "zh", "ru")] == [
        "Français",
        "Español",
        "العربية",
        "中文",
        "Русский",
    ]
    assert re.search(r'<option value="ru"[^>]*selected', switcher)


def test_a_browser_asking_for_a_regional_variant_gets_the_language(client):
    for header, lang in (("zh-CN,zh;q=0.9,en;q=0.5", "zh"), ("ar-MA,fr;q=0.5", "ar"), ("ru-RU", "ru"), ("de-CH", "en")):
        page = client.get("/", headers={"Accept-Language": header}).get_data(as_text=True)
        assert f'lang="{lang}"' in _html_tag(page), header


@pytest.mark.parametrize(
    ("lang", "navbar"),
    [
        ("zh", ["周期", "机构", "会议", "伙伴关系", "圆桌会议", "名录", "登录"]),
        ("ru", ["Циклы", "Органы", "Совещания", "Партнёрства", "Круглые столы", "Справочник", "Войти"]),
    ],
)
def test_the_chinese_and_russian_home_pages_have_translated_navigation(client, lang, navbar):
    client.set_cookie("lang", lang)
    page = client.get("/").get_data(as_text=True)
    nav = re.search(r"<nav .*?</nav>", page, re.S).group(0)
    links = [re.sub(r"\s+", " ", text).strip() for text in re.findall(r'class="nav-link[^"]*"[^>]*>([^<]+)<', nav)]
    assert links[:6] == navbar[:6]
    assert navbar[6] in links
    for english in ("Cycles", "Bodies", "Meetings", "Partnerships", "Roundtables", "Directory", "Sign in"):
        assert english not in links
    heading = {"zh": "论坛主席周期", "ru": "Циклы председательства Форума"}[lang]
    assert heading in page
