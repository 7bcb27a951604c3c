// Passkey ceremonies (WebAuthn). The only place where Rathaus needs JavaScript.
//
// A container with data-passkey="register" or "authenticate" holds a form (with the
// CSRF token) and a status line. Its data attributes name the option and finish URLs
// and carry the German texts, so all wording stays in the templates.
(function () {
  "use strict";

  function toBuffer(base64url) {
    const base64 = base64url.replace(/-/g, "+").replace(/_/g, "/");
    const padded = base64 + "===".slice((base64.length + 3) % 4);
    const binary = atob(padded);
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i += 1) {
      bytes[i] = binary.charCodeAt(i);
    }
    return bytes.buffer;
  }

  function toBase64url(buffer) {
    const bytes = new Uint8Array(buffer);
    let binary = "";
    for (let i = 0; i < bytes.length; i += 1) {
      binary += String.fromCharCode(bytes[i]);
    }
    return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  function creationOptions(json) {
    if (PublicKeyCredential.parseCreationOptionsFromJSON) {
      return PublicKeyCredential.parseCreationOptionsFromJSON(json);
    }
    const options = Object.assign({}, json);
    options.challenge = toBuffer(json.challenge);
    options.user = Object.assign({}, json.user, { id: toBuffer(json.user.id) });
    options.excludeCredentials = (json.excludeCredentials || []).map(function (c) {
      return Object.assign({}, c, { id: toBuffer(c.id) });
    });
    return options;
  }

  function requestOptions(json) {
    if (PublicKeyCredential.parseRequestOptionsFromJSON) {
      return PublicKeyCredential.parseRequestOptionsFromJSON(json);
    }
    const options = Object.assign({}, json);
    options.challenge = toBuffer(json.challenge);
    options.allowCredentials = (json.allowCredentials || []).map(function (c) {
      return Object.assign({}, c, { id: toBuffer(c.id) });
    });
    return options;
  }

  function credentialJSON(credential) {
    if (typeof credential.toJSON === "function") {
      try {
        return credential.toJSON();
      } catch (ignored) {
        // Some browsers implement toJSON only partly; fall through to our own encoding.
      }
    }
    const response = credential.response;
    const json = {
      id: credential.id,
      rawId: toBase64url(credential.rawId),
      type: credential.type,
      clientExtensionResults: credential.getClientExtensionResults(),
      response: { clientDataJSON: toBase64url(response.clientDataJSON) },
    };
    if (response.attestationObject) {
      json.response.attestationObject = toBase64url(response.attestationObject);
      json.response.transports = response.getTransports ? response.getTransports() : [];
    } else {
      json.response.authenticatorData = toBase64url(response.authenticatorData);
      json.response.signature = toBase64url(response.signature);
      json.response.userHandle = response.userHandle ? toBase64url(response.userHandle) : null;
    }
    return json;
  }

  async function post(url, body, csrf, fallbackMessage) {
    const response = await fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
      body: JSON.stringify(body || {}),
    });
    let data = {};
    try {
      data = await response.json();
    } catch (ignored) {
      data = {};
    }
    if (!response.ok) {
      throw new Error(data.error || fallbackMessage);
    }
    return data;
  }

  function setup(container) {
    const kind = container.dataset.passkey;
    const form = container.querySelector("form");
    const status = container.querySelector("[data-passkey-status]");
    const button = form.querySelector("button[type=submit]");
    const csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;
    const text = container.dataset;
    let conditional = null;

    function say(message, isError) {
      status.textContent = message;
      status.classList.toggle("kern-error", Boolean(isError));
    }

    if (!window.PublicKeyCredential || !navigator.credentials) {
      say(text.msgUnsupported, true);
      button.disabled = true;
      return;
    }

    async function register() {
      const nameField = form.querySelector("input[name=name]");
      const started = await post(text.options, {}, csrf, text.msgFailed);
      const credential = await navigator.credentials.create({
        publicKey: creationOptions(started.publicKey),
      });
      return post(
        text.finish,
        {
          challengeId: started.challengeId,
          credential: credentialJSON(credential),
          name: nameField ? nameField.value : "",
        },
        csrf,
        text.msgFailed,
      );
    }

    async function authenticate(mediation, signal) {
      const started = await post(text.options, {}, csrf, text.msgFailed);
      const request = { publicKey: requestOptions(started.publicKey) };
      if (mediation) {
        request.mediation = mediation;
        request.signal = signal;
      }
      const credential = await navigator.credentials.get(request);
      return post(
        text.finish,
        { challengeId: started.challengeId, credential: credentialJSON(credential) },
        csrf,
        text.msgFailed,
      );
    }

    async function run(ceremony) {
      button.disabled = true;
      say(text.msgWorking, false);
      try {
        const result = await ceremony();
        say(text.msgDone, false);
        window.location.assign(result.redirect);
      } catch (error) {
        const cancelled = error && (error.name === "NotAllowedError" || error.name === "AbortError");
        say(cancelled ? text.msgCancelled : error.message || text.msgFailed, true);
        button.disabled = false;
      }
    }

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (conditional) {
        conditional.abort();
        conditional = null;
      }
      run(kind === "register" ? register : function () { return authenticate(null, null); });
    });

    // Passkey autofill: offer the passkey in the field's suggestions where the browser can.
    if (kind === "authenticate" && "conditional" in text && PublicKeyCredential.isConditionalMediationAvailable) {
      PublicKeyCredential.isConditionalMediationAvailable().then(function (available) {
        if (!available) {
          return;
        }
        conditional = new AbortController();
        authenticate("conditional", conditional.signal)
          .then(function (result) { window.location.assign(result.redirect); })
          .catch(function () { /* autofill not used or aborted: the button still works */ });
      });
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-passkey]").forEach(setup);
  });
})();
