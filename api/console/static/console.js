// Progressive enhancement only: every page works without this script.
"use strict";

// "Add party": clones the last party fieldset, renumbering its field names and ids.
function addParty(event) {
  event.preventDefault();
  const list = document.getElementById("parties");
  const blocks = list.querySelectorAll("fieldset.party");
  const last = blocks[blocks.length - 1];
  const index = blocks.length;
  const copy = last.cloneNode(true);
  copy.querySelectorAll("[name],[id],[for],[aria-describedby]").forEach((el) => {
    for (const attr of ["name", "id", "for", "aria-describedby"]) {
      const value = el.getAttribute(attr);
      if (value) el.setAttribute(attr, value.replace(/parties-\d+-/g, `parties-${index}-`));
    }
    if (el.matches("input[type=checkbox]")) el.checked = false;
    else if (el.matches("input:not([type=hidden]), textarea")) el.value = "";
    el.removeAttribute("aria-invalid");
  });
  copy.querySelectorAll(".error").forEach((el) => el.remove());
  const legend = copy.querySelector("legend");
  if (legend) legend.textContent = `当事人 ${index + 1}`;
  list.appendChild(copy);
  document.getElementById("party-count").value = String(index + 1);
  const first = copy.querySelector("input:not([type=hidden])");
  if (first) first.focus();
}

// Direct service: fills the GPS fields from the browser when it gives a position.
function fillPosition() {
  const lat = document.getElementById("latitude");
  const lon = document.getElementById("longitude");
  if (!lat || !lon || !navigator.geolocation) return;
  navigator.geolocation.getCurrentPosition((pos) => {
    if (!lat.value) lat.value = pos.coords.latitude.toFixed(6);
    if (!lon.value) lon.value = pos.coords.longitude.toFixed(6);
  }, () => {}, { timeout: 10000 });
}

document.addEventListener("DOMContentLoaded", () => {
  const button = document.getElementById("add-party");
  if (button) {
    button.hidden = false;
    button.addEventListener("click", addParty);
  }
  fillPosition();
});
