"""The sections .NET options classes are bound to, read from a file's text."""

from __future__ import annotations

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
        # not bindings: a lambda configures in code, a cache's Get<T>, a section of unknown name
        ("services.Configure<Feeds>(o => o.Url = url);", []),
        ('var p = cache.Get<Product>("key");', []),
        ("var p = cache.Get<Product>();", []),
        ("services.Configure<Feeds>(Sections.Pick());", []),
    ],
)
def test_bindings(line: str, expected: list[tuple[str, str]]) -> None:
    assert bindings(line) == expected
