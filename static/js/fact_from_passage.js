// "Make a fact from this answer": the text selected in the answer becomes the passage.
// Without JavaScript the researcher pastes it; the server checks it against the answer either way.
(function () {
  "use strict";
  var answer = document.getElementById("answer-text");
  var passage = document.getElementById("id_passage");
  var status = document.getElementById("passage-status");
  if (!answer || !passage) {
    return;
  }

  function takeSelection() {
    var selection = window.getSelection();
    if (!selection || selection.isCollapsed || selection.rangeCount === 0) {
      return;
    }
    var range = selection.getRangeAt(0);
    if (!answer.contains(range.startContainer) || !answer.contains(range.endContainer)) {
      return;
    }
    var text = selection.toString().trim();
    if (!text || text === passage.value) {
      return;
    }
    passage.value = text;
    if (status) {
      status.textContent = "The passage now holds the text you selected.";
    }
  }

  answer.addEventListener("mouseup", takeSelection);
  answer.addEventListener("keyup", takeSelection);
  answer.addEventListener("touchend", takeSelection);
})();
