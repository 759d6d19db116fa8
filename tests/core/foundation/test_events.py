"""The event hub: typed topics, any publishing thread, a failing subscriber alone."""

from __future__ import annotations

import logging
import threading

import pytest

from zinc_desktop.core.foundation.events import EventHub, Topic

NUMBERS: Topic[int] = Topic("numbers")
WORDS: Topic[str] = Topic("words")


def test_each_subscriber_hears_its_topic_only_until_it_leaves() -> None:
    hub = EventHub()
    heard: list[object] = []
    words: list[str] = []
    leave = hub.subscribe(NUMBERS, heard.append)
    hub.subscribe(WORDS, words.append)
    hub.publish(NUMBERS, 1)
    hub.publish(WORDS, "one")
    leave()
    hub.publish(NUMBERS, 2)
    assert heard == [1]
    assert words == ["one"]
    assert hub.subscribers(NUMBERS) == 0


def test_two_topics_of_one_name_are_two_topics() -> None:
    hub = EventHub()
    other: Topic[int] = Topic("numbers")
    heard: list[int] = []
    hub.subscribe(other, heard.append)
    hub.publish(NUMBERS, 1)
    assert heard == []


def test_a_failing_subscriber_is_logged_and_the_others_still_hear(
    caplog: pytest.LogCaptureFixture,
) -> None:
    hub = EventHub()
    heard: list[int] = []

    def broken(event: int) -> None:
        raise RuntimeError("a listener's bug")

    hub.subscribe(NUMBERS, broken)
    hub.subscribe(NUMBERS, heard.append)
    with caplog.at_level(logging.ERROR):
        hub.publish(NUMBERS, 7)
    assert heard == [7]
    assert "a subscriber to numbers failed" in caplog.text
    assert hub.subscribers(NUMBERS) == 2


def test_publishing_from_many_threads_while_subscribers_come_and_go() -> None:
    hub = EventHub()
    heard: list[int] = []
    lock = threading.Lock()

    def keep(event: int) -> None:
        with lock:
            heard.append(event)

    hub.subscribe(NUMBERS, keep)
    stop = threading.Event()

    def noop(event: int) -> None:
        pass

    def churn() -> None:
        while not stop.is_set():
            leave = hub.subscribe(NUMBERS, noop)
            leave()

    def publish_from(base: int) -> None:
        for i in range(500):
            hub.publish(NUMBERS, base + i)

    churner = threading.Thread(target=churn)
    churner.start()
    publishers = [threading.Thread(target=publish_from, args=(b,)) for b in range(0, 4000, 1000)]
    for thread in publishers:
        thread.start()
    for thread in publishers:
        thread.join()
    stop.set()
    churner.join()
    assert sorted(heard) == sorted(base + i for base in range(0, 4000, 1000) for i in range(500))
