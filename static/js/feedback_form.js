// 附件3: show 未支出金额, 实际支出进度, 合计 and the 滞后 mark while the officer
// types. Display only: the server recomputes everything with feedback.progress
// on save. Amounts are handled as whole cents in BigInt, never as floats, and
// rounded half up like Decimal.quantize(ROUND_HALF_UP) on the server.
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
    // Like allocations.money.grouped: 8294.00 -> "8,294", 12.50 -> "12.5".
    var negative = cents < 0n;
    var value = negative ? -cents : cents;
    var whole = (value / 100n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ",");
    var fraction = (value % 100n).toString().padStart(2, "0").replace(/0+$/, "");
    return (negative ? "-" : "") + whole + (fraction ? "." + fraction : "");
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
    form.querySelectorAll("tr.row-line").forEach(function (row) {
      var amount = toCents(row.getAttribute("data-amount")).cents;
      var input = row.querySelector("input.amount");
      var parsed = input ? toCents(input.value) : { empty: true, cents: 0n };
      var unspent = row.querySelector('[data-role="unspent"]');
      var shown = row.querySelector('[data-role="progress"]');
      var lag = row.querySelector('[data-role="lag"]');
      totalAmount += amount;
      if (input) input.classList.toggle("invalid", parsed === null);
      if (parsed === null) {
        totalValid = false;
        unspent.textContent = "—";
        shown.textContent = "—";
        lag.hidden = true;
        return;
      }
      totalSpent += parsed.cents;
      var hundredths = progress(parsed.cents, amount);
      unspent.textContent = grouped(amount - parsed.cents);
      shown.textContent = percentLabel(hundredths);
      // A line's own schedule (carried-over money: 100%) when the page gives one.
      var own = row.hasAttribute("data-expected") ? toCents(row.getAttribute("data-expected")) : null;
      var due = own ? own.cents : expected;
      lag.hidden = parsed.empty || hundredths === null || due === null || hundredths >= due;
    });
    var total = form.querySelector('tr[data-role="total"]');
    if (!total) return;
    total.querySelector('[data-role="amount"]').textContent = grouped(totalAmount);
    total.querySelector('[data-role="spent"]').textContent = totalValid ? grouped(totalSpent) : "—";
    total.querySelector('[data-role="unspent"]').textContent = totalValid ? grouped(totalAmount - totalSpent) : "—";
    total.querySelector('[data-role="progress"]').textContent = totalValid ? percentLabel(progress(totalSpent, totalAmount)) : "—";
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.getElementById("feedback-form");
    if (!form) return;
    form.addEventListener("input", function (event) {
      if (event.target.classList.contains("amount")) update(form);
    });
    update(form);
  });
})();
