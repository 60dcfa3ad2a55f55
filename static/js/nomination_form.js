// The nomination form: the nominators' fields are hidden for a self-nomination (自荐).
(function () {
  const fields = document.getElementById("nominated-fields");
  const radios = document.querySelectorAll("input[name=source]");
  function sync() {
    const checked = document.querySelector("input[name=source]:checked");
    if (fields) fields.hidden = checked && checked.value === "self";
  }
  radios.forEach(function (radio) { radio.addEventListener("change", sync); });
  sync();
})();
