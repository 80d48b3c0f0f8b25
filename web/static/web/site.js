// The site's only script, a file rather than inline handlers, so that the Content-Security-Policy can forbid
// inline script (web/security.py): a button with data-confirm asks before its form is sent.
document.addEventListener("click", function (event) {
  var button = event.target.closest ? event.target.closest("[data-confirm]") : null;
  if (button && !window.confirm(button.getAttribute("data-confirm"))) {
    event.preventDefault();
  }
});
