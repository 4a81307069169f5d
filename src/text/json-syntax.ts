/**
 * Finds where a JSON text stops being valid, for a message with a line and column. Runs only
 * after JSON.parse has failed; iterative, so hostile nesting cannot overflow the stack.
 */
export function findJsonSyntaxError(text: string): { offset: number; message: string } | undefined {
  let i = 0;
  const stack: ("{" | "[")[] = [];
  const fail = (message: string) => ({ offset: Math.min(i, text.length), message });
  const ws = () => {
    while (i < text.length && " \t\n\r".includes(text[i]!)) i++;
  };
  const what = () => (i >= text.length ? "end of file" : JSON.stringify(text[i]).replace(/^"\\?(.*)"$/, "'$1'"));
  const string = (): string | undefined => {
    i++;
    while (i < text.length) {
      const c = text.charCodeAt(i);
      if (c === 34) {
        i++;
        return undefined;
      }
      if (c < 32) return "control character in a string (write \\n for a line break)";
      if (c === 92) {
        const e = text[i + 1];
        if (e === "u") {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) return "bad \\u escape";
          i += 6;
        } else if (e !== undefined && '"\\/bfnrt'.includes(e)) i += 2;
        else return "bad escape";
      } else i++;
    }
    return "unterminated string";
  };
  const scalar = (): string | undefined => {
    const rest = text.slice(i, i + 5);
    for (const word of ["true", "false", "null"]) {
      if (rest.startsWith(word)) {
        i += word.length;
        return undefined;
      }
    }
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
    if (!m || m[0] === "" || m[0] === "-") return `unexpected ${what()}`;
    i += m[0].length;
    return undefined;
  };
  // expect: "value" | "key" (or closing brace) | "after" (comma or closing)
  let expect: "value" | "key-or-close" | "key" | "value-or-close" | "after" = "value";
  for (;;) {
    ws();
    if (expect === "value" || expect === "value-or-close") {
      const c = text[i];
      if (expect === "value-or-close" && c === "]") {
        i++;
        stack.pop();
        expect = "after";
      } else if (c === "{") {
        i++;
        stack.push("{");
        expect = "key-or-close";
      } else if (c === "[") {
        i++;
        stack.push("[");
        expect = "value-or-close";
      } else if (c === '"') {
        const problem = string();
        if (problem) return fail(problem);
        expect = "after";
      } else {
        if (i >= text.length) return fail(text.trim() === "" ? "the file is empty" : "unexpected end of file");
        const problem = scalar();
        if (problem) return fail(problem);
        expect = "after";
      }
    } else if (expect === "key" || expect === "key-or-close") {
      if (expect === "key-or-close" && text[i] === "}") {
        i++;
        stack.pop();
        expect = "after";
        continue;
      }
      if (text[i] !== '"') return fail(`expected a property name in double quotes, found ${what()}`);
      const problem = string();
      if (problem) return fail(problem);
      ws();
      if (text[i] !== ":") return fail(`expected ":" after the property name, found ${what()}`);
      i++;
      expect = "value";
    } else {
      const top = stack.at(-1);
      if (top === undefined) return i < text.length ? fail(`unexpected ${what()} after the end of the document`) : undefined;
      const c = text[i];
      if (c === ",") {
        i++;
        expect = top === "{" ? "key" : "value";
      } else if ((c === "}" && top === "{") || (c === "]" && top === "[")) {
        i++;
        stack.pop();
      } else return fail(`expected "," or "${top === "{" ? "}" : "]"}", found ${what()}`);
    }
  }
}
