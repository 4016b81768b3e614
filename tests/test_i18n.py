"""The Russian interface: choosing the language, the catalog, dates, and typer's own words."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from wocli import dates, i18n

CATALOG = Path(i18n.__file__).parent / "locale" / "ru" / "LC_MESSAGES" / "wocli.po"


@pytest.fixture
def russian() -> Iterator[None]:
    i18n.activate("ru")
    yield
    i18n.activate("en")


@pytest.mark.parametrize(
    ("env", "explicit", "expected"),
    [
        ({}, None, "en"),
        ({"LANG": "ru_RU.UTF-8"}, None, "ru"),
        ({"LANG": "de_DE.UTF-8"}, None, "en"),
        ({"LC_ALL": "ru_RU.UTF-8", "LANG": "en_GB.UTF-8"}, None, "ru"),
        ({"LC_ALL": "C", "LANG": "ru_RU.UTF-8"}, None, "en"),  # gettext stops at the first set
        ({"LANGUAGE": "de:ru", "LANG": "en_US.UTF-8"}, None, "ru"),  # a list of preferences
        ({"LC_MESSAGES": "ru_RU", "LANG": "en_US"}, None, "ru"),
        ({"WOCLI_LANG": "ru", "LANG": "en_US.UTF-8"}, None, "ru"),
        ({"WOCLI_LANG": "en", "LANG": "ru_RU.UTF-8"}, None, "en"),
        ({"LANG": "ru_RU.UTF-8"}, "en", "en"),
        ({}, "ru", "ru"),
        ({}, "RU", "ru"),
    ],
)
def test_language_comes_from_lang_option_wocli_lang_then_the_locale(
    monkeypatch: pytest.MonkeyPatch, env: dict[str, str], explicit: str | None, expected: str
) -> None:
    for var in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG", "WOCLI_LANG"):
        monkeypatch.delenv(var, raising=False)
    for var, value in env.items():
        monkeypatch.setenv(var, value)
    assert i18n.choose(explicit) == expected


@pytest.mark.parametrize(
    ("edtf", "shown"),
    [
        ("1921-03-08", "8 марта 1921 г."),
        ("1921-03", "март 1921 г."),
        ("1921", "1921 г."),
        ("1922~", "около 1922 г."),
        ("1921-03~", "около марта 1921 г."),
        ("193X", "1930-е гг."),
        ("1920-21", "весна 1920 г."),
        ("1920?", "1920 г. (предположительно)"),
        ("1920-03-08/1920-03-15", "8–15 марта 1920 г."),
        ("1921-04-22/1921-08-19", "22 апреля – 19 августа 1921 г."),
        ("1919-12/1920-01", "декабрь 1919 г. – январь 1920 г."),
        ("../1921-03", "до марта 1921 г."),
        ("1921-03-08/..", "с 8 марта 1921 г."),
    ],
)
def test_russian_dates_use_the_genitive_after_a_day_and_a_preposition(
    russian: None, edtf: str, shown: str
) -> None:
    assert dates.display(edtf) == shown


def test_english_dates_are_unchanged_after_russian_ones(russian: None) -> None:
    i18n.activate("en")
    assert dates.display("1921-03-08") == "8 March 1921"
    assert dates.display("1922~") == "about 1922"


def catalog_messages() -> list[tuple[object, object]]:
    with CATALOG.open("rb") as f:
        return [(m.id, m.string) for m in read_po(f) if m.id]


def fields(text: str) -> set[str]:
    return set(re.findall(r"\{[^}]*\}", text))


def test_every_message_of_the_catalog_is_translated_with_the_same_fields() -> None:
    messages = catalog_messages()
    assert len(messages) > 100
    for msgid, msgstr in messages:
        if isinstance(msgid, tuple):  # plural: three Russian forms
            assert isinstance(msgstr, tuple) and len(msgstr) == 3 and all(msgstr), msgid
            assert all(fields(str(form)) == fields(msgid[1]) for form in msgstr), msgid
        else:
            assert isinstance(msgstr, str) and msgstr, msgid
            assert fields(msgstr) == fields(str(msgid)), msgid


def test_three_plural_forms(russian: None) -> None:
    forms = [i18n.ngettext("{n} record", "{n} records", n).format(n=n) for n in (1, 3, 5, 21, 11)]
    assert forms == ["1 запись", "3 записи", "5 записей", "21 запись", "11 записей"]


def test_typer_still_has_what_the_russian_help_hooks_into() -> None:
    import typer.completion
    import typer.core
    from typer._click import decorators, formatting

    assert callable(typer.core._)  # type: ignore[attr-defined]
    assert callable(formatting.HelpFormatter.write_usage)
    assert callable(decorators.help_option)
    for function in (
        typer.completion._install_completion_placeholder_function,
        typer.completion._install_completion_no_auto_placeholder_function,
    ):
        assert {"install_completion", "show_completion"} <= set(function.__code__.co_varnames)


def wocli(*args: str, lang: str = "ru_RU.UTF-8") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "LANG": lang, "COLUMNS": "80", "NO_COLOR": "1"}
    for var in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "WOCLI_LANG"):
        env.pop(var, None)
    return subprocess.run(
        [sys.executable, "-m", "wocli", *args], capture_output=True, text=True, env=env, check=False
    )


def test_a_russian_locale_gets_russian_labels_dates_and_messages() -> None:
    panel = wocli("person", "shlyapnikov")
    assert panel.returncode == 0, panel.stderr
    for expected in ("Жизнь", "1885 г. – сентябрь 1937 г.", "4 ноября 1917 г.", "Источники"):
        assert expected in panel.stdout
    assert "│ Life " not in panel.stdout
    missing = wocli("person", "nobody")
    assert missing.returncode == 1
    assert "Человек по запросу 'nobody' не найден." in missing.stderr


def test_typer_help_and_usage_errors_in_russian() -> None:
    shown = wocli("search", "--help")
    assert shown.returncode == 0
    for expected in ("Использование: wocli search", "Аргументы", "Параметры", "Пример:"):
        assert expected in shown.stdout
    assert "Показать эту справку и выйти." in shown.stdout
    assert "[обязательно]" in shown.stdout
    usage = wocli("person")
    assert usage.returncode == 2
    assert "Ошибка: Не указан аргумент 'QUERY'." in usage.stderr
    assert "Справка: «wocli person -h»." in usage.stderr
    limit = wocli("search", "x", "--limit", "abc")
    assert "Недопустимое значение '--limit': 'abc' — не целое число." in limit.stderr


def test_lang_option_overrides_the_locale_and_rejects_the_unknown() -> None:
    english = wocli("--lang", "en", "person", "nobody")
    assert "No person matches 'nobody'." in english.stderr
    unknown = wocli("--lang", "fr", "person", "x")
    assert unknown.returncode == 2
    assert "--lang" in unknown.stderr


def test_an_english_lookup_loads_no_translation_hooks() -> None:
    code = (
        "import sys; from wocli.runner import run; run(['person', 'kollontai', '--json']);"
        "print(sorted(m for m in sys.modules if m == 'wocli.i18n.framework'))"
    )
    env = {**os.environ, "LANG": "en_GB.UTF-8"}
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
    ).stdout
    assert out.strip().splitlines()[-1] == "[]"


def test_a_russian_interface_shows_the_records_russian_text_first_and_marks_english() -> None:
    panel = wocli("person", "Шляпникова")
    assert panel.returncode == 0, panel.stderr
    lines = panel.stdout.splitlines()
    assert lines[0].startswith("╭─ Александр Гаврилович Шляпников (общие сведения)")
    assert "Руководитель Рабочей оппозиции" in lines[1]  # summary_ru, not the English summary
    assert "│ По-английски  Alexander Shlyapnikov" in panel.stdout
    assert "│               мемуарист" in panel.stdout  # roles_ru, not the English roles
    assert "Рабочая оппозиция, " in panel.stdout  # linked groups by their Russian names


ENGLISH_WORDS = re.compile(r"\b(?:the|of|and|in|to|for|his|her)\b", re.IGNORECASE)


def test_a_russian_person_panel_is_russian_from_the_first_line_to_the_last() -> None:
    panel = wocli("person", "шляпников")
    assert panel.returncode == 0, panel.stderr
    text = panel.stdout
    assert "(по-английски)" not in text  # the mark; the row of the English name is "По-английски"
    assert "para." not in text and "абз. 1; абз. 2; абз. 4;" in text
    for russian in (
        "Роли          руководитель Рабочей оппозиции",
        "председатель Всероссийского союза рабочих-металлистов",
        "подписавший Письмо двадцати двух (1922)",
        "Примечание    Статья пишет его фамилию и как Shlyapnikov",
        "(годы рождения и смерти — из заглавия книги,",
    ):
        assert russian in text
    # Latin letters are left only in names: the English name, the aliases, the spellings the
    # note discusses, and the titles of the works cited.
    before_sources = text.split("│ Источники")[0]
    assert not ENGLISH_WORDS.findall(before_sources)
    assert all(len(line) <= 80 for line in text.splitlines())


def test_a_russian_vote_panel_shows_russian_sides_body_place_and_count() -> None:
    panel = wocli("vote", "moscow-committee-1921-01-17")
    assert panel.returncode == 0, panel.stderr
    text = panel.stdout
    for russian in (
        "│ Орган         Московский комитет РКП(б)",
        "│ Место         Москва",
        "Формулировка Ленина",
        "Тезисы Рабочей оппозиции",
        "Игнатовцы",
        "│ Победа        Формулировка Ленина (76 из 143)",
        "│ Подсчёт       Голосовали по восьми платформам; статья приводит цифры по",
        "Примечание    Децистов статья описывает здесь как желавших 'more Soviet",
        "абз. 11",
    ):
        assert russian in text, russian
    assert "(по-английски)" not in text
    assert "Lenin's wording" not in text and "Moscow committee of" not in text
    # a side that stands for a group of the same Russian name gets no "= group" line
    assert "= Группа демократического централизма" not in text


def test_a_russian_event_panel_shows_its_place_and_note_in_russian() -> None:
    panel = wocli("event", "tenth-congress")
    assert panel.returncode == 0, panel.stderr
    assert "│ Примечание    Статья даёт только «март 1921 года»; ни дня, ни места." in panel.stdout
    assert "(по-английски)" not in panel.stdout
    place = wocli("event", "zamoskvoretsky-meeting-1921")
    assert "│ Место         Москва (2-й Замоскворецкий район)" in place.stdout


def test_english_is_shown_marked_where_an_overlay_gives_no_russian(tmp_path: Path) -> None:
    fix = tmp_path / "fix.toml"
    fix.write_text(
        "[people.shlyapnikov]\npatch = true\n"
        'note = "A new doubt."\nroles = { add = ["delegate"] }\n'
        "[votes.tula-1921-01-25]\npatch = true\n"
        'tallies = [{ label = "For", votes = 3 }, { label = "Against", label_ru = "Против", '
        "votes = 1 }]\n",
        encoding="utf-8",
    )
    panel = wocli("--data", str(fix), "person", "shlyapnikov").stdout
    assert "A new doubt. (по-английски)" in panel
    # the Russian roles were for the old list: all the roles are English now, marked once
    assert "│ Роли          leader of the Workers' Opposition" in panel
    assert "│               delegate (из " in panel
    assert panel.count("(по-английски)") == 2  # the note and the roles
    assert "мемуарист" not in panel
    vote = wocli("--data", str(fix), "vote", "tula-1921-01-25").stdout
    assert "For (по-английски)" in vote and "Против" in vote and "Against" not in vote


def test_check_reports_a_bad_overlay_in_russian(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text(
        "[people.shlyapnikov]\n"
        'name = "X"\n'
        'summary = "x"\n'
        'sources = [{ work = "allen2015" }]\n'
        "\n"
        "[people.x]\n"
        "name = 3\n"
        'summary = "x"\n'
        'groups = ["workers-oposition"]\n'
        'sources = [{ work = "workers-opposition" }]\n'
        "\n"
        "[votes.v]\n"
        'name = "V"\n'
        'summary = "v"\n'
        'body = "b"\n'
        "tallies = [{ votes = 1 }]\n"
        'sources = [{ work = "allen2015" }]\n',
        encoding="utf-8",
    )
    result = wocli("--data", str(bad), "check")
    assert result.returncode == 2
    lines = [line.removeprefix(f"{bad}: ") for line in result.stderr.splitlines()]
    for expected in (
        "people.x.name: должно быть строкой, а не целым числом",
        "people.x.groups: неизвестная группа 'workers-oposition' (может быть, workers-opposition?)",
        "people.x.sources[1].work: 'workers-opposition' — группа, а не работа",
        "votes.v.tallies[1].label: отсутствует",
        "people.shlyapnikov: id уже определён в facts.toml; добавьте `replace = true`, чтобы "
        "заменить ту запись, или `patch = true`, чтобы исправить некоторые её поля",
    ):
        assert expected in lines
    assert not [line for line in lines if re.search("[a-z]{4,} [a-z]{4,}", line.split(": ", 1)[1])]


def test_a_translated_problem_still_starts_with_where_it_is() -> None:
    # overlay.py reads the field a problem is about from its start ('WHERE.born: ...')
    for msgid, msgstr in catalog_messages():
        if isinstance(msgid, str) and msgid.startswith("{where}"):
            assert isinstance(msgstr, str) and msgstr.startswith("{where}"), msgid


def test_a_russian_people_table_gives_the_english_name_beside_the_russian() -> None:
    env = {**os.environ, "LANG": "ru_RU.UTF-8", "COLUMNS": "120", "NO_COLOR": "1"}
    for var in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "WOCLI_LANG"):
        env.pop(var, None)
    result = subprocess.run(
        [sys.executable, "-m", "wocli", "people", "--no-pager"],
        capture_output=True, text=True, env=env, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert "По-английски" in lines[0] and "По-русски" not in lines[0]
    bukharin = next(line for line in lines if "bukharin" in line)
    assert bukharin.startswith("Николай Иванович Бухарин") and "Nikolai" in bukharin
    allen = next(line for line in lines if " allen " in f" {line} ")
    assert allen.split() == ["Barbara", "C.", "Allen", "allen"]  # no Russian name: not twice
