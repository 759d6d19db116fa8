"""The table's model in any order of filtering, typing, sorting and changes: the rows it shows
are always those the rules select from every account (a typed filter that narrows looks only
at the rows it had), and what the actions ask of it (the rejected among them) follows."""

from __future__ import annotations

from datetime import UTC, datetime

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from zinc_desktop.core.accounts.columns import Column
from zinc_desktop.core.accounts.filters import QuickFilter
from zinc_desktop.core.accounts.model import Account, AccountStatus
from zinc_desktop.core.accounts.selection import rejected
from zinc_desktop.core.foundation.environments import Environment
from zinc_desktop.gui.accounts.accounts_table_model import AccountsTableModel

IDS = [f"acc{n:02d}" for n in range(12)]
LETTERS = "abAB ß"


def account(account_id: str, label: str, status: AccountStatus, env: Environment) -> Account:
    return Account(
        id=account_id, label=label, environment=env, key_hint="9f0e", status=status,
        linked_at=datetime(2026, 11, 1, tzinfo=UTC),
    )  # fmt: skip


accounts = st.builds(
    account,
    st.sampled_from(IDS),
    st.text(LETTERS, min_size=1, max_size=5),
    st.sampled_from(AccountStatus),
    st.sampled_from(Environment),
)


class TableOrders(RuleBasedStateMachine):
    @initialize(start=st.lists(accounts, max_size=10, unique_by=lambda a: a.id))
    def load(self, start: list[Account]) -> None:
        assert QApplication.instance() is not None
        self.model = AccountsTableModel()
        self.model.set_accounts(start)
        self.known = {a.id: a for a in start}

    @rule(text=st.text(LETTERS, max_size=3))
    def type_more(self, text: str) -> None:
        self.model.set_rules(self.model.quick, self.model.text + text)

    @rule(cut=st.integers(0, 3))
    def erase(self, cut: int) -> None:
        self.model.set_rules(
            self.model.quick, self.model.text[: max(0, len(self.model.text) - cut)]
        )

    @rule(quick=st.sampled_from(QuickFilter))
    def choose(self, quick: QuickFilter) -> None:
        self.model.set_rules(quick, self.model.text)

    @rule(column=st.sampled_from(Column), descending=st.booleans())
    def sort(self, column: Column, descending: bool) -> None:
        order = Qt.SortOrder.DescendingOrder if descending else Qt.SortOrder.AscendingOrder
        self.model.sort(column, order)

    @rule(changed=accounts)
    def change(self, changed: Account) -> None:
        self.model.upsert(changed)
        self.known[changed.id] = changed

    @rule(which=st.sampled_from(IDS))
    def unlink(self, which: str) -> None:
        self.model.remove(which)
        self.known.pop(which, None)

    @invariant()
    def shows_what_the_rules_select(self) -> None:
        model = self.model
        fresh = AccountsTableModel()
        fresh.set_accounts(list(self.known.values()))
        fresh.set_rules(model.quick, model.text)
        shown = [a.id for a in model.shown_accounts()]
        assert len(shown) == len(set(shown)) == model.rowCount()
        assert set(shown) == {a.id for a in fresh.shown_accounts()}
        assert all(model.row_of(i) == row for row, i in enumerate(shown))
        assert model.shown_rejected() == len(rejected(model.shown_accounts()))


TableOrders.TestCase.settings = settings(max_examples=60, stateful_step_count=25, deadline=None)


def test_the_rows_shown_follow_the_rules_in_any_order(qapp: QApplication) -> None:
    TableOrders.TestCase().runTest()
