"""The selector chooser's label index answers as a scan of every pod of the namespace would."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from socklock.policy.generate.selectors import Selectors

labels = st.dictionaries(st.sampled_from(["app", "tier", "name"]), st.sampled_from(["a", "b"]))
clusters = st.dictionaries(
    st.sampled_from(["ns1/w1", "ns1/w2", "ns1/w3", "ns2/w1", "ns2/w4"]),
    st.lists(labels, max_size=3),
    min_size=1,
)


def _matches(selector: dict[str, str], one: dict[str, str]) -> bool:
    return all(one.get(k) == v for k, v in selector.items())


@given(clusters, labels)
def test_index_agrees_with_a_scan(
    members: dict[str, list[dict[str, str]]], selector: dict[str, str]
) -> None:
    namespace_of = {w: w.split("/")[0] for w in members}
    chooser = Selectors(members, namespace_of)
    for workload in members:
        others = [
            o
            for o in sorted(members)
            if o != workload
            and namespace_of[o] == namespace_of[workload]
            and any(_matches(selector, one) for one in members[o])
        ]
        alone = (
            bool(selector)
            and all(_matches(selector, one) for one in members[workload])
            and not others
        )
        assert chooser.singles_out(workload, selector) == alone
        assert chooser.others_selected(workload, selector) == others


def test_a_label_shared_with_a_neighbour_does_not_single_out() -> None:
    chooser = Selectors(
        {"ns/a": [{"app": "a", "tier": "web"}], "ns/b": [{"app": "b", "tier": "web"}]},
        {"ns/a": "ns", "ns/b": "ns"},
    )
    assert not chooser.singles_out("ns/a", {"tier": "web"})
    assert chooser.others_selected("ns/a", {"tier": "web"}) == ["ns/b"]
    assert chooser.singles_out("ns/a", {"app": "a"})
    assert chooser.select("ns/a").labels == {"app": "a"}
