// Read birth date and sex from a resident ID number as the clerk types it
// (issue 14, deliverable 2). The server checks everything again on save.
(function () {
  "use strict";
  var WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  var CHECK = "10X98765432";

  function read(number) {
    number = number.replace(/\s/g, "").toUpperCase();
    if (!/^\d{17}[\dX]$/.test(number)) return null;
    var sum = 0;
    for (var i = 0; i < 17; i++) sum += Number(number[i]) * WEIGHTS[i];
    if (CHECK[sum % 11] !== number[17]) return { ok: false };
    var y = number.slice(6, 10), m = number.slice(10, 12), d = number.slice(12, 14);
    var day = new Date(Number(y), Number(m) - 1, Number(d));
    if (day.getMonth() !== Number(m) - 1) return { ok: false };
    return { ok: true, birth: y + "-" + m + "-" + d, male: Number(number[16]) % 2 === 1,
             area: number.slice(0, 6) };
  }

  document.addEventListener("DOMContentLoaded", function () {
    var input = document.querySelector("input[data-ric]");
    var out = document.getElementById("ric-reading");
    if (!input || !out) return;
    var lang = document.documentElement.lang || "zh-hans";
    var zh = lang.indexOf("zh") === 0;
    function show() {
      var reading = read(input.value);
      if (reading === null) return;
      if (!reading.ok) {
        out.textContent = zh ? "身份证号码校验不通过" : "This ID number does not check out";
        out.dataset.state = "bad";
        return;
      }
      out.dataset.state = "ok";
      out.textContent = zh
        ? "出生日期 " + reading.birth + "，性别 " + (reading.male ? "男" : "女") + "，登记地代码 " + reading.area
        : "Born " + reading.birth + ", " + (reading.male ? "male" : "female") + ", registration area " + reading.area;
    }
    input.addEventListener("input", show);
    show();
  });
})();
