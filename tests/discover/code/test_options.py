"""The sections .NET options classes are bound to, read from a file's text."""

from __future__ import annotations

from pathlib import Path

import pytest

from socklock.discover.code.options import bindings


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ('services.Configure<Urls>(configuration.GetSection("urls"));', [("Urls", "urls")]),
        ('services.Configure<C.Urls>(Configuration.GetRequiredSection("a:b"));', [("Urls", "a:b")]),
        ("services.Configure<AppSettings>(configuration);", [("AppSettings", "")]),
        ("services.Configure<AppSettings>(builder.Configuration);", [("AppSettings", "")]),
        ("services.Configure<Urls>(configuration.GetSection(nameof(Urls)));", [("Urls", "Urls")]),
        (
            'var section = configuration.GetSection("feeds");\nservices.Configure<Feeds>(section);',
            [("Feeds", "feeds")],
        ),
        (
            'services.AddOptions<Feeds>()\n    .Bind(configuration.GetSection("feeds"));',
            [("Feeds", "feeds")],
        ),
        ('services.AddOptions<Feeds>().BindConfiguration("feeds");', [("Feeds", "feeds")]),
        ('var f = configuration.GetSection("feeds").Get<Feeds>();', [("Feeds", "feeds")]),
        ("var f = _config.Get<Feeds>();", [("Feeds", "")]),
        (
            'var f = new Feeds();\nconfiguration.GetSection("feeds").Bind(f);',
            [("Feeds", "feeds")],
        ),
        ('Feeds f = new();\nconfiguration.Bind("feeds", f);', [("Feeds", "feeds")]),
        (
            'const string SectionName = "EventBus";\n'
            "services.Configure<Bus>(builder.Configuration.GetSection(SectionName));",
            [("Bus", "EventBus")],
        ),
        (
            'class Feeds { public static string Name { get; } = "feeds"; }\n'
            "services.AddOptions<Feeds>().BindConfiguration(Feeds.Name);",
            [("Feeds", "feeds")],
        ),
        # not bindings: a section named by a parameter, a lambda configures in code,
        # a cache's Get<T>, a section of unknown name
        ("services.Configure<Feeds>(o => o.Url = url);", []),
        ('var p = cache.Get<Product>("key");', []),
        ("var p = cache.Get<Product>();", []),
        ("services.Configure<Feeds>(Sections.Pick());", []),
        ("void Load(string section, Feeds f) => configuration.GetSection(section).Bind(f);", []),
    ],
)
def test_bindings(line: str, expected: list[tuple[str, str]]) -> None:
    assert bindings(line) == expected


def test_a_constant_of_the_options_class_names_the_section(tmp_path: Path) -> None:
    """``BindConfiguration(KafkaOptions.Name)``: the constant is in ``KafkaOptions.cs``."""
    (tmp_path / "KafkaOptions.cs").write_text(
        'public class KafkaOptions { public const string Name = "Kafka"; }\n'
    )
    text = "services.AddOptions<KafkaOptions>().BindConfiguration(KafkaOptions.Name);"
    project = {"KafkaOptions.cs": (str(tmp_path / "KafkaOptions.cs"),)}
    assert bindings(text, project) == [("KafkaOptions", "Kafka")]
    assert bindings(text) == []
