// The candidate list: the withdrawal dialog takes the candidate of the button that opened it.
document.getElementById("withdraw-modal")?.addEventListener("show.bs.modal", function (event) {
  const button = event.relatedTarget;
  const form = document.getElementById("withdraw-form");
  form.action = button.dataset.action;
  form.querySelector("[name=version]").value = button.dataset.version;
  form.querySelector(".candidate-name").textContent = button.dataset.name;
});
