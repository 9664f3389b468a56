// The Appearance setting, applied before the first paint: the one classic (blocking)
// script, so a person who chose Light or Dark never sees a flash of the other. Without a
// choice, dark.css follows the phone (its media query). appearance.js changes the choice.
(function () {
  var choice = null;
  try {
    choice = localStorage.getItem("footing-theme");
  } catch (error) {
    return; // storage refused: follow the phone
  }
  if (choice !== "light" && choice !== "dark") return;
  var sheet = document.querySelector("link[data-dark-scheme]");
  if (sheet) sheet.media = choice === "dark" ? "all" : "not all";
  var metas = document.querySelectorAll('meta[name="theme-color"]');
  for (var i = 0; i < metas.length; i++) metas[i].content = metas[i].dataset[choice];
})();
