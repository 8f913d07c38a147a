// A minimal OpenAI-compatible chat-completions server over node-llama-cpp (prebuilt CPU
// llama.cpp), for the real-model path of LLM-Net tests and demos.
//   node scripts/llm-server.mjs --model /path/model.gguf [--port 8080] [--name smollm2] [--threads 2]
// Serves POST /v1/chat/completions (non-streaming), GET /v1/models, GET /health.
// Structured output: a request's `response_format` {"type": "json_schema", "json_schema":
// {"schema": ...}} (or {"type": "json_object", "schema": ...}) constrains the reply with a
// node-llama-cpp JSON-schema grammar, so the reply is a JSON object with those fields.
// Options: --threads (2), --max-tokens cap per reply (96; 192 for structured replies, whose
// JSON must not be cut off).
// Requests are answered one at a time (one context on 2 cores is what fits).
import http from "node:http";
import { createRequire } from "node:module";
import path from "node:path";

const args = process.argv.slice(2);
const arg = (name, dflt) => {
	const i = args.indexOf(name);
	return i >= 0 && i + 1 < args.length ? args[i + 1] : dflt;
};
const modelPath = arg("--model");
const port = Number(arg("--port", "8080"));
const name = arg("--name", "smollm2");
const threads = Number(arg("--threads", "2"));
// Small CPU models ramble: replies are capped (the prompts ask for one or two lines).
const maxTokensCap = Number(arg("--max-tokens", "96"));
const modules = arg("--modules", process.env.LLMNET_LLM_MODULES || process.cwd());
if (!modelPath) {
	console.error("usage: llm-server.mjs --model FILE.gguf [--port 8080] [--name NAME] [--modules DIR]");
	process.exit(2);
}

// node-llama-cpp is installed by scripts/setup-llm.sh outside the repository.
const require = createRequire(path.join(modules, "package.json"));
const { getLlama, LlamaChatSession } = await import(require.resolve("node-llama-cpp"));
const llama = await getLlama({ gpu: false, build: "never" });
const model = await llama.loadModel({ modelPath });

// The keys node-llama-cpp's JSON-schema grammar understands; others (minimum, maximum, ...)
// are dropped rather than refused. maxLength matters: it keeps a small model's justification
// short enough that the JSON closes within the token cap.
const GRAMMAR_KEYS = new Set(["type", "properties", "items", "enum", "const", "minItems", "maxItems", "required",
	"minLength", "maxLength", "additionalProperties"]);
function grammarSchema(schema) {
	if (Array.isArray(schema)) return schema.map(grammarSchema);
	if (schema === null || typeof schema !== "object") return schema;
	const out = {};
	for (const [k, v] of Object.entries(schema)) {
		if (!GRAMMAR_KEYS.has(k)) continue;
		if (k === "properties") {
			out.properties = Object.fromEntries(Object.entries(v).map(([p, s]) => [p, grammarSchema(s)]));
		} else {
			out[k] = k === "items" ? grammarSchema(v) : v;
		}
	}
	// Integers in a range become an enum of the allowed values (small ranges only).
	if (schema.type === "integer" && Number.isInteger(schema.minimum) && Number.isInteger(schema.maximum)
		&& schema.maximum - schema.minimum <= 100) {
		out.enum = Array.from({ length: schema.maximum - schema.minimum + 1 }, (_, i) => schema.minimum + i);
		delete out.type;
	}
	return out;
}
const grammars = new Map();
async function grammarFor(format) {
	const schema = format?.json_schema?.schema ?? format?.schema;
	if (!schema || (format.type !== "json_schema" && format.type !== "json_object")) return undefined;
	const key = JSON.stringify(schema);
	if (!grammars.has(key)) grammars.set(key, await llama.createGrammarForJsonSchema(grammarSchema(schema)));
	return grammars.get(key);
}

let queue = Promise.resolve();
function complete(messages, maxTokens, temperature, format) {
	const run = async () => {
		const system = messages.filter((m) => m.role === "system").map((m) => m.content).join("\n");
		const user = messages.filter((m) => m.role !== "system").map((m) => m.content).join("\n");
		const context = await model.createContext({ contextSize: 2048, threads });
		try {
			const session = new LlamaChatSession({ contextSequence: context.getSequence(), systemPrompt: system });
			const grammar = await grammarFor(format);
			return await session.prompt(user, grammar ? { maxTokens, temperature, grammar } : { maxTokens, temperature });
		} finally {
			await context.dispose();
		}
	};
	const result = queue.then(run, run);
	queue = result.catch(() => {});
	return result;
}

const send = (res, status, body) => {
	res.writeHead(status, { "Content-Type": "application/json" });
	res.end(JSON.stringify(body));
};

http
	.createServer((req, res) => {
		if (req.method === "GET" && req.url === "/health") return send(res, 200, { status: "ok" });
		if (req.method === "GET" && req.url === "/v1/models")
			return send(res, 200, { object: "list", data: [{ id: name, object: "model" }] });
		if (req.method !== "POST" || req.url !== "/v1/chat/completions")
			return send(res, 404, { error: "not found" });
		let body = "";
		req.on("data", (c) => {
			body += c;
			if (body.length > 1 << 20) req.destroy();
		});
		req.on("end", async () => {
			let request;
			try {
				request = JSON.parse(body);
			} catch {
				return send(res, 400, { error: "invalid JSON" });
			}
			const started = Date.now();
			try {
				const text = await complete(
					request.messages || [],
					Math.min(Number(request.max_tokens) || maxTokensCap, request.response_format ? 2 * maxTokensCap : maxTokensCap),
					Number(request.temperature ?? 0.2),
					request.response_format,
				);
				console.log(`completion in ${Date.now() - started} ms: ${JSON.stringify(text).slice(0, 120)}`);
				send(res, 200, {
					id: `chatcmpl-${started}`,
					object: "chat.completion",
					model: request.model || name,
					choices: [{ index: 0, message: { role: "assistant", content: text }, finish_reason: "stop" }],
				});
			} catch (e) {
				send(res, 500, { error: String(e) });
			}
		});
	})
	.listen(port, "127.0.0.1", () => console.log(`llm-server (${name}) on http://127.0.0.1:${port}`));
