// The two-factor step sends itself once the authenticator code is complete, as GitHub's does:
// one action fewer for everyone who types or pastes the code. Progressive enhancement: without
// this script the Sign in button does it, and the button stays for everyone.
//
// The field says how many digits complete a code (data-autosubmit-digits, from MFA_TOTP_DIGITS).
// Recovery codes are longer and digits too, so a person typing one would be cut off at the
// sixth digit: "Use a recovery code" switches the sending off. A status region announces the
// sending to screen-reader users, and the hint under the field says it will happen.
(function () {
  "use strict";

  function enhance(field) {
    var form = field.form;
    var digits = parseInt(field.getAttribute("data-autosubmit-digits"), 10);
    if (!form || !(digits > 0)) return;
    var hint = form.querySelector("[data-code-autosubmit-hint]");
    var status = form.querySelector("[data-code-autosubmit-status]");
    var recovery = form.querySelector("[data-code-recovery]");
    var complete = new RegExp("^\\d{" + digits + "}$");
    var enabled = true;
    var sent = false;

    if (hint) {
      hint.hidden = false;
      var described = (field.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
      described.push(hint.id);
      field.setAttribute("aria-describedby", described.join(" "));
    }
    if (recovery) {
      recovery.hidden = false;
      recovery.addEventListener("click", function () {
        enabled = false;
        if (hint) hint.textContent = recovery.getAttribute("data-recovery-text");
        recovery.hidden = true;
        field.focus();
      });
    }

    field.addEventListener("input", function () {
      var code = field.value.replace(/\s+/g, "");
      if (!enabled || sent || !complete.test(code)) return;
      sent = true;
      field.value = code;
      if (status) status.textContent = status.getAttribute("data-sending-text");
      // requestSubmit runs the form's own submit handling, as the button would.
      if (form.requestSubmit) form.requestSubmit();
      else form.submit();
    });
    form.addEventListener("submit", function () {
      sent = true;
    });
  }

  function start() {
    document.querySelectorAll("input[data-autosubmit-digits]").forEach(enhance);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
