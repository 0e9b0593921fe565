// The import review: "Add a question" adds an empty question row to its request, as many as needed.
// Without JavaScript the button stays hidden and the review's empty rows serve instead.
document.addEventListener("DOMContentLoaded", () => {
  for (const button of document.querySelectorAll("button.add-question")) {
    const template = document.getElementById(button.dataset.template);
    const total = document.getElementById(button.dataset.total);
    if (!template || !total) continue;
    button.hidden = false;
    button.addEventListener("click", () => {
      const index = Number(total.value);
      // Django names the rows of a formset by their index: the empty row's "__prefix__" becomes it.
      const html = template.innerHTML.replaceAll("__prefix__", String(index));
      const holder = document.createElement("div");
      holder.innerHTML = html;
      const row = holder.firstElementChild;
      button.before(row);
      total.value = String(index + 1);
      const first = row.querySelector("input, textarea, select");
      if (first) first.focus();
    });
  }
});
