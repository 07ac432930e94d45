// "Copy" buttons: <button data-copy="ID" hidden> copies the text of the element ID. Hidden
// until this script runs, so a page without JavaScript shows no button that does nothing.
document.querySelectorAll("button[data-copy]").forEach(function (button) {
  var source = document.getElementById(button.dataset.copy);
  if (!source || !navigator.clipboard) return;
  button.hidden = false;
  button.addEventListener("click", function () {
    navigator.clipboard.writeText(source.textContent.trim()).then(function () {
      button.textContent = button.dataset.copied || button.textContent;
    });
  });
});
