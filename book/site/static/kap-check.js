/* Website checks of the fixed-answer exercises (book/teaching/hashed_checks.py): the learner's answer is normalised
   and hashed here, as book.teaching.answers.digest() does, and compared with the salted SHA-256 digests the page holds;
   the chosen option's explanation is unsealed only then. The feedback is the kernel check's (HashedAnswer.check).
   The site serves this file once (pages with a check load it); in JupyterLab each check's output inlines it.
   Needs crypto.subtle (https, localhost and file:// pages) and BigInt. No request to any host. */
(function () {
  "use strict";

  var SALT = "kap-sud-book/answer/v1";
  var SEP = "\x1f";
  // Python's str.isspace() characters (str.strip() and str.split() use them): JavaScript's \s without U+FEFF,
  // with U+001C-U+001F and U+0085.
  var SPACE = "[\\t\\n\\x0b\\x0c\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]";
  var TRIM = new RegExp("^" + SPACE + "+|" + SPACE + "+$", "g");
  var SPLIT = new RegExp(SPACE + "+");

  function strip(text, chars) {
    if (chars === undefined) return text.replace(TRIM, "");
    var start = 0, end = text.length;
    while (start < end && chars.indexOf(text[start]) >= 0) start++;
    while (end > start && chars.indexOf(text[end - 1]) >= 0) end--;
    return text.slice(start, end);
  }

  // --- the normalisations of book/teaching/checks.py and answers.py -------------------------------------------

  function normalChoice(answer) { return strip(strip(answer).toLowerCase(), "()"); }

  function normalText(text) {
    var words = text.toLowerCase().replace(/-/g, " ").split(SPLIT).filter(function (w) { return w; });
    return strip(words.join(" "), " .");
  }

  // A double as an exact decimal: x = n / 10^k (x finite and >= 0).
  function exact(x) {
    var view = new DataView(new ArrayBuffer(8));
    view.setFloat64(0, x);
    var hi = view.getUint32(0), lo = view.getUint32(4);
    var bits = (hi >>> 20) & 0x7ff;
    var mant = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
    if (bits === 0) bits = 1; else mant |= 1n << 52n;
    var e = bits - 1075;
    return e >= 0 ? { n: mant << BigInt(e), k: 0 } : { n: mant * 5n ** BigInt(-e), k: -e };
  }

  // n / 10^k rounded half to even to d decimals (d may be negative): m with value m / 10^d.
  function roundTo(n, k, d) {
    if (k <= d) return n * 10n ** BigInt(d - k);
    var div = 10n ** BigInt(k - d), q = n / div, twice = 2n * (n % div);
    if (twice > div || (twice === div && q % 2n === 1n)) q += 1n;
    return q;
  }

  function special(x) {
    if (Number.isNaN(x)) return "nan";
    if (!Number.isFinite(x)) return x > 0 ? "inf" : "-inf";
    return null;
  }

  function negative(x) { return x < 0 || Object.is(x, -0); }

  // Python's f"{x:.{d}f}".
  function fixed(x, d) {
    var s = special(x);
    if (s) return s;
    var p = exact(Math.abs(x)), m = roundTo(p.n, p.k, d).toString();
    if (d > 0) {
      m = m.padStart(d + 1, "0");
      m = m.slice(0, -d) + "." + m.slice(-d);
    }
    return (negative(x) ? "-" : "") + m;
  }

  // Python's f"{x:g}" (six significant digits, half to even; fixed notation for exponents -4 to 5).
  function general(x) {
    var s = special(x);
    if (s) return s;
    var sign = negative(x) ? "-" : "";
    if (x === 0) return sign + "0";
    var p = exact(Math.abs(x)), e = p.n.toString().length - 1 - p.k;
    var digits = roundTo(p.n, p.k, 5 - e).toString();  // six digits, or seven when rounding carried
    if (digits.length > 6) { e += 1; digits = digits.slice(0, 6); }
    if (e >= -4 && e < 6) {
      var d = 5 - e, text = d > 0 ? digits.padStart(d + 1, "0") : digits + "0".repeat(-d);
      if (d > 0) text = text.slice(0, -d) + "." + text.slice(-d);
      return sign + (text.indexOf(".") >= 0 ? text.replace(/0+$/, "").replace(/\.$/, "") : text);
    }
    var mantissa = (digits[0] + "." + digits.slice(1)).replace(/0+$/, "").replace(/\.$/, "");
    return sign + mantissa + "e" + (e < 0 ? "-" : "+") + String(Math.abs(e)).padStart(2, "0");
  }

  // book.teaching.answers.normal_number.
  function normalNumber(value, decimals) {
    var text = fixed(value, decimals);
    return /^-0\.?0*$/.test(text) ? text.slice(1) : text;
  }

  var DIGITS = "\\d(?:_?\\d)*";
  var FLOAT = new RegExp("^[+-]?(?:(?:" + DIGITS + "(?:\\.(?:" + DIGITS + ")?)?|\\." + DIGITS + ")(?:[eE][+-]?" + DIGITS +
    ")?|inf|infinity|nan)$", "i");

  // Decimal digits of any script as ASCII digits (Python's float() reads them): a digit's value is its place in its
  // run of consecutive Unicode digits (each script's ten digits are consecutive, from zero).
  function asciiDigits(text) {
    return text.replace(/\p{Nd}/gu, function (digit) {
      if (digit >= "0" && digit <= "9") return digit;
      var code = digit.codePointAt(0), start = code;
      while (/\p{Nd}/u.test(String.fromCodePoint(start - 1))) start--;
      return String((code - start) % 10);
    });
  }

  // checks._as_number for text: float(answer.strip().rstrip("%").replace(",", "")), or null.
  function asNumber(answer) {
    var text = asciiDigits(strip(strip(answer).replace(/%+$/, "").replace(/,/g, "")));
    if (!FLOAT.test(text)) return null;
    var word = text.replace(/^[+-]/, "").toLowerCase();
    if (word === "nan") return NaN;
    if (word.indexOf("inf") === 0) return text[0] === "-" ? -Infinity : Infinity;
    return Number(text.replace(/_/g, ""));
  }

  // Python's repr() of a string, for the messages that quote the learner's answer.
  function pyRepr(text) {
    var quote = text.indexOf("'") >= 0 && text.indexOf('"') < 0 ? '"' : "'";
    var body = text.replace(/\\/g, "\\\\").replace(/\n/g, "\\n").replace(/\r/g, "\\r").replace(/\t/g, "\\t");
    if (quote === "'") body = body.replace(/'/g, "\\'");
    return quote + body + quote;
  }

  // --- hashing ---------------------------------------------------------------------------------------------------

  function hex(buffer) {
    return Array.prototype.map.call(new Uint8Array(buffer), function (b) { return b.toString(16).padStart(2, "0"); }).join("");
  }

  function sha256(text) { return crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)); }

  function digest(label, normalised) { return sha256(SALT + SEP + label + SEP + normalised).then(hex); }

  // An option's explanation, sealed by hashed_checks.seal: XOR with SHA-256(salt, label, option, "explanation", i).
  function unseal(label, option, sealed) {
    if (!sealed) return Promise.resolve("");
    var bytes = Uint8Array.from(atob(sealed), function (c) { return c.charCodeAt(0); });
    var blocks = [];
    for (var i = 0; i * 32 < bytes.length; i++) blocks.push(sha256([SALT, label, option, "explanation", i].join(SEP)));
    return Promise.all(blocks).then(function (parts) {
      var out = new Uint8Array(bytes.length);
      parts.forEach(function (part, i) {
        var block = new Uint8Array(part);
        for (var j = 0; j < 32 && i * 32 + j < bytes.length; j++) out[i * 32 + j] = bytes[i * 32 + j] ^ block[j];
      });
      return new TextDecoder().decode(out);
    });
  }

  // --- the feedback of book/teaching/checks.py judge_choice, judge_text, judge_rounded_number ------------------

  function matches(item, normalised) {
    return digest(item.label, normalised).then(function (d) { return item.digests.indexOf(d) >= 0; });
  }

  function withHint(item) { return item.hint ? " Hint: " + item.hint : ""; }

  function judgeChoice(item, answer) {
    var key = normalChoice(answer);
    if (item.options.length && item.options.map(function (o) { return o.toLowerCase(); }).indexOf(key) < 0) {
      return Promise.resolve({ correct: false, message: pyRepr(answer) + " is not one of the options (" + item.options.join(", ") + ")." });
    }
    return Promise.all([matches(item, key), unseal(item.label, key, (item.sealed || {})[key])]).then(function (r) {
      var why = r[1] ? " " + r[1] : "";
      if (r[0]) return { correct: true, message: "(" + key + ") is right." + why };
      return { correct: false, message: "(" + key + ") is not the best answer." + why + withHint(item) };
    });
  }

  function judgeText(item, answer) {
    var shown = strip(answer);
    return matches(item, normalText(answer)).then(function (ok) {
      if (ok) return { correct: true, message: "\"" + shown + "\" is correct." };
      return { correct: false, message: "\"" + shown + "\" is not what we were looking for." + withHint(item) };
    });
  }

  function judgeNumber(item, answer) {
    var value = asNumber(answer);
    if (value === null) {
      return Promise.resolve({ correct: false, message: "Your answer should be a number, but it is str " + pyRepr(answer) +
        ". Type digits only, for example 12.5." + withHint(item) });
    }
    var units = item.unit ? " " + item.unit : "";
    return matches(item, normalNumber(value, item.decimals || 0)).then(function (ok) {
      if (ok) return { correct: true, message: general(value) + units + " is correct." };
      return { correct: false, message: general(value) + units + " is not correct." + withHint(item) };
    });
  }

  var EMPTY = {
    choice: "There is no answer yet: choose one of the options, then press Check.",
    text: "There is no answer yet: type a few words, then press Check.",
    number: "There is no answer yet: type a number, then press Check.",
  };

  // The kernel check's verdict on a learner's answer (text, as typed or chosen).
  function judge(item, answer) {
    if (answer === null || answer === undefined || !strip(String(answer))) {
      return Promise.resolve({ correct: false, message: EMPTY[item.kind] });
    }
    if (item.kind === "choice") return judgeChoice(item, String(answer));
    if (item.kind === "text") return judgeText(item, String(answer));
    return judgeNumber(item, String(answer));
  }

  // --- the form ------------------------------------------------------------------------------------------------

  var count = 0;

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text) node.textContent = text;
    return node;
  }

  function mount(root, item) {
    var id = "kap-check-" + item.label.replace(/[^A-Za-z0-9_-]/g, "-") + "-" + (++count);
    var form = el("form", { class: "kap-check", "data-label": item.label, novalidate: "",
      style: "margin:0.5rem 0;padding:0.6rem 0.8rem;border:1px solid #6b6b6b;border-radius:0.3rem;max-width:100%;box-sizing:border-box" });
    var fieldset = el("fieldset", { style: "border:0;margin:0;padding:0;min-width:0" });
    fieldset.appendChild(el("legend", { style: "font-weight:600;padding:0;margin-bottom:0.4rem;float:none;width:auto;font-size:1rem" },
      item.question));
    var row = el("div", { style: "display:flex;flex-wrap:wrap;gap:0.4rem 1.2rem;align-items:center" });
    if (item.kind === "choice") {
      item.options.forEach(function (option) {
        var label = el("label", { style: "display:inline-flex;align-items:center;gap:0.35rem;min-height:44px;cursor:pointer" });
        var radio = el("input", { type: "radio", name: id, value: option, style: "width:1.2rem;height:1.2rem;margin:0" });
        label.appendChild(radio);
        label.appendChild(document.createTextNode("(" + option + ")"));
        row.appendChild(label);
      });
    } else {
      row.appendChild(el("label", { for: id + "-answer" }, "Your answer" + (item.unit ? " (" + item.unit + ")" : "")));
      row.appendChild(el("input", { id: id + "-answer", type: "text", autocomplete: "off", spellcheck: "false",
        inputmode: item.kind === "number" ? "decimal" : "text",
        style: "min-height:44px;padding:0 0.5rem;border:1px solid #6b6b6b;border-radius:0.2rem;max-width:100%;font:inherit" }));
    }
    var button = el("button", { type: "submit", style: "min-height:44px;padding:0 1rem;border:1px solid #6b6b6b;" +
      "border-radius:0.3rem;background:#1a4d8f;color:#fff;font:inherit;cursor:pointer" }, "Check");
    row.appendChild(button);
    fieldset.appendChild(row);
    form.appendChild(fieldset);
    var feedback = el("div", { class: "kap-check-feedback", role: "status", "aria-live": "polite", style: "margin-top:0.4rem" });
    form.appendChild(feedback);
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var chosen = form.querySelector("input[type=radio]:checked");
      var typed = form.querySelector("input[type=text]");
      var answer = item.kind === "choice" ? (chosen ? chosen.value : "") : typed.value;
      judge(item, answer).then(function (verdict) {
        var colour = verdict.correct ? "#1b5e20" : "#8a1c1c";
        feedback.textContent = "";
        feedback.className = "kap-check-feedback " + (verdict.correct ? "kap-check-right" : "kap-check-wrong");
        feedback.style.cssText = "margin-top:0.4rem;border-left:4px solid " + colour + ";padding:0.3rem 0.6rem";
        feedback.appendChild(el("strong", {}, verdict.correct ? "Right." : "Not yet."));
        feedback.appendChild(document.createTextNode(" " + verdict.message));
      }, function () {
        feedback.textContent = "This browser cannot check answers here (it needs crypto.subtle): run the check cell in JupyterLab.";
      });
    });
    root.textContent = "";
    root.appendChild(form);
    return form;
  }

  // On the site: every check on the page, from its JSON (book/site/mime.py).
  function mountAll() {
    document.querySelectorAll("script[type='application/json'][data-kap-check]").forEach(function (script) {
      var root = document.getElementById(script.getAttribute("data-kap-check"));
      if (root && !root.querySelector("form.kap-check")) mount(root, JSON.parse(script.textContent));
    });
  }

  (typeof window !== "undefined" ? window : globalThis).KapCheck = {
    mount: mount, mountAll: mountAll, judge: judge, digest: digest, unseal: unseal,
    normalChoice: normalChoice, normalText: normalText, normalNumber: normalNumber, asNumber: asNumber,
    fixed: fixed, general: general,
  };
  if (typeof document === "undefined") return;
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", mountAll);
  else mountAll();
})();
