// 附件3: show 未支出金额, 实际支出进度, 本月变动, 合计 and the 滞后 mark while the
// officer types. Display only: the server recomputes everything with
// feedback.progress on save. Amounts are handled as whole cents in BigInt, never
// as floats, and rounded half up like Decimal.quantize(ROUND_HALF_UP) on the
// server. Leaving the page with unsaved edits asks first.
(function () {
  "use strict";

  var AMOUNT = /^\d+(\.\d{1,2})?$/;

  function toCents(text) {
    var clean = String(text || "").replace(/[,，\s]/g, "");
    if (clean === "") return { empty: true, cents: 0n };
    if (!AMOUNT.test(clean)) return null;
    var parts = clean.split(".");
    var fraction = ((parts[1] || "") + "00").slice(0, 2);
    return { empty: false, cents: BigInt(parts[0]) * 100n + BigInt(fraction) };
  }

  function grouped(cents) {
    // Like core.formats.money: 8294 -> "8,294.00", 12.5 -> "12.50".
    var negative = cents < 0n;
    var value = negative ? -cents : cents;
    var whole = (value / 100n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ",");
    var fraction = (value % 100n).toString().padStart(2, "0");
    return (negative ? "-" : "") + whole + "." + fraction;
  }

  // Progress in hundredths of a percent: spent / amount × 100, two decimals, half up.
  function progress(spentCents, amountCents) {
    if (amountCents === 0n) return null;
    var numerator = spentCents * 10000n;
    return (2n * numerator + amountCents) / (2n * amountCents);
  }

  function percentLabel(hundredths) {
    if (hundredths === null) return "";
    return (hundredths / 100n).toString() + "." + (hundredths % 100n).toString().padStart(2, "0") + "%";
  }

  function expectedHundredths(form) {
    var parsed = toCents(form.getAttribute("data-expected"));
    return parsed ? parsed.cents : null;
  }

  function update(form) {
    var expected = expectedHundredths(form);
    var totalAmount = 0n;
    var totalSpent = 0n;
    var totalValid = true;
    form.querySelectorAll(".row-line").forEach(function (row) {
      var amount = toCents(row.getAttribute("data-amount")).cents;
      var input = row.querySelector("input.amount");
      var parsed = input ? toCents(input.value) : { empty: true, cents: 0n };
      var unspent = row.querySelector('[data-role="unspent"]');
      var shown = row.querySelector('[data-role="progress"]');
      var lag = row.querySelector('[data-role="lag"]');
      var change = row.querySelector('[data-role="change"]');
      var previous = row.hasAttribute("data-previous") ? toCents(row.getAttribute("data-previous")) : null;
      totalAmount += amount;
      if (input) input.classList.toggle("invalid", parsed === null);
      if (parsed === null) {
        totalValid = false;
        unspent.textContent = "—";
        shown.textContent = "—";
        if (change) change.textContent = "—";
        lag.hidden = true;
        row.classList.remove("lagging");
        return;
      }
      if (change) {
        var delta = previous && !parsed.empty ? parsed.cents - previous.cents : null;
        change.textContent = delta === null ? "—" : (delta > 0n ? "+" : "") + grouped(delta);
      }
      totalSpent += parsed.cents;
      var hundredths = progress(parsed.cents, amount);
      unspent.textContent = grouped(amount - parsed.cents);
      shown.textContent = percentLabel(hundredths);
      // A line's own schedule (carried-over money: 100%) when the page gives one.
      var own = row.hasAttribute("data-expected") ? toCents(row.getAttribute("data-expected")) : null;
      var due = own ? own.cents : expected;
      lag.hidden = parsed.empty || hundredths === null || due === null || hundredths >= due;
      row.classList.toggle("lagging", !lag.hidden);
    });
    var total = form.querySelector('[data-role="total"]');
    if (!total) return;
    total.querySelector('[data-role="amount"]').textContent = grouped(totalAmount);
    total.querySelector('[data-role="spent"]').textContent = totalValid ? grouped(totalSpent) : "—";
    total.querySelector('[data-role="unspent"]').textContent = totalValid ? grouped(totalAmount - totalSpent) : "—";
    total.querySelector('[data-role="progress"]').textContent = totalValid ? percentLabel(progress(totalSpent, totalAmount)) : "—";
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.getElementById("feedback-form");
    if (!form) return;
    // A refused save comes back with what was typed and not stored: leaving it loses that too.
    var dirty = document.getElementById("unsaved") !== null;
    form.addEventListener("input", function (event) {
      dirty = true;
      if (event.target.classList.contains("amount")) update(form);
    });
    form.addEventListener("change", function () { dirty = true; });
    // Saving or submitting leaves the page on purpose; anything else with edits asks first.
    form.addEventListener("submit", function () { dirty = false; });
    window.addEventListener("beforeunload", function (event) {
      if (!dirty) return;
      event.preventDefault();
      event.returnValue = "";
    });
    update(form);
  });
})();
