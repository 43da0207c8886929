// The period grid: pasting a column copied from a spreadsheet into a value field fills that
// field and the ones below it, one line each (the first cell of each line). A single figure
// pastes as usual. Without this script the fields are plain inputs.
"use strict";

(function () {
  const VALUE_FIELD = "input[data-grid-value]";

  function cellsOf(text) {
    const lines = text.replace(/\r\n?/g, "\n").split("\n");
    // Spreadsheets end a copied column with a line break: no empty cell for it.
    if (lines.length > 1 && lines[lines.length - 1] === "") {
      lines.pop();
    }
    return lines.map((line) => line.split("\t")[0].trim());
  }

  function announce(form, filled, lines) {
    const status = form.querySelector("#grid-paste-status");
    if (status && status.dataset.message) {
      status.textContent = status.dataset.message
        .replace("{filled}", String(filled))
        .replace("{lines}", String(lines));
    }
  }

  document.addEventListener("paste", (event) => {
    const field = event.target;
    if (!(field instanceof HTMLInputElement) || !field.matches(VALUE_FIELD) || !field.form) {
      return;
    }
    const text = (event.clipboardData || window.clipboardData).getData("text");
    if (!/[\n\t]/.test(text)) {
      return;
    }
    event.preventDefault();
    const fields = Array.from(field.form.querySelectorAll(VALUE_FIELD));
    const start = fields.indexOf(field);
    const cells = cellsOf(text);
    let filled = 0;
    cells.forEach((cell, offset) => {
      const target = fields[start + offset];
      // A locked figure keeps its line, so the column stays aligned with the rows.
      if (!target || target.readOnly) {
        return;
      }
      target.value = cell;
      target.dispatchEvent(new Event("input", { bubbles: true }));
      filled += 1;
    });
    announce(field.form, filled, cells.length);
  });
})();
