"""The identity cache behind the lexicon tables: one result per object, bounded."""

from assistant.analysis.caching import cached_by_identity


def test_one_result_per_object_and_equal_objects_are_not_confused():
    calls = []

    @cached_by_identity(maxsize=2)
    def table(words: list[str]) -> list[str]:
        calls.append(1)
        return sorted(words)

    a, b = ["b", "a"], ["b", "a"]
    assert table(a) is table(a)
    assert table(b) == ["a", "b"]
    assert len(calls) == 2  # a once, b once: equal contents, another object


def test_fresh_objects_do_not_make_it_grow_without_bound():
    calls = []

    @cached_by_identity(maxsize=2)
    def size(words: list[str]) -> int:
        calls.append(1)
        return len(words)

    first, second, third = ["x"], ["x", "y"], ["x", "y", "z"]
    assert [size(first), size(second), size(third)] == [1, 2, 3]
    assert size(first) == 1
    assert len(calls) == 4  # the third object emptied the full cache, so the first is computed again
