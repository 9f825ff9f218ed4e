#!/usr/bin/env node
// Executes an ASL definition locally with aws-local-stepfunctions (patched at install, see patches/) and prints what happened as JSON.
//
//   node run-state-machine.mjs <definition.json> <input.json> <scenario.json>
//
// The scenario says how every Task behaves, call by call:
//   {
//     "context": { "Execution": { "Id": "...", "Name": "...", "StartTime": "..." } },   // the $$ context (optional)
//     "tasks": [                                   // rules, first match wins; each rule counts its own calls
//       { "resource": "<Resource ARN>" | "state": "<state name>",    // which Task(s) (one of them, or neither for any)
//         "match": { ...partial JSON of the Task's input... },       // optional: objects match key by key, arrays index by index
//         "calls": [ { "return": <JSON> } | { "throw": { "error": "Sandbox.Timedout", "cause": "..." } } ],
//         "then": { "return": <JSON> } | { "throw": {...} } }        // calls after the list (default: the list's last)
//     ]
//   }
// Tasks no rule matches: events:putEvents accepts every entry, states:startExecution starts; any other fails the run loudly.
// Retries wait 0 ms (retryIntervalOverrides). Printed: { status, output | error, calls, putEvents, startExecutions, events,
// eventTypes } where eventTypes counts the interpreter's events by type and state type ("StateEntered:Task": 12, ...).

import { readFileSync } from "node:fs";

// aws-local-stepfunctions 3.0.0 needs Node >= 22 for Promise.withResolvers; this is the whole of what it uses.
if (typeof Promise.withResolvers !== "function") {
  Promise.withResolvers = function withResolvers() {
    let resolve;
    let reject;
    const promise = new this((res, rej) => {
      resolve = res;
      reject = rej;
    });
    return { promise, resolve, reject };
  };
}

const { StateMachine } = await import("aws-local-stepfunctions");

const [definitionPath, inputPath, scenarioPath] = process.argv.slice(2);
if (!scenarioPath) {
  process.stderr.write("usage: node run-state-machine.mjs <definition.json> <input.json> <scenario.json>\n");
  process.exit(2);
}

const definition = JSON.parse(readFileSync(definitionPath, "utf8"));
const input = JSON.parse(readFileSync(inputPath, "utf8"));
const scenario = JSON.parse(readFileSync(scenarioPath, "utf8"));
const rules = (scenario.tasks ?? []).map((rule) => ({ ...rule, count: 0 }));

const PUT_EVENTS = "arn:aws:states:::events:putEvents";
const START_EXECUTION = "arn:aws:states:::states:startExecution";

const calls = [];
const putEvents = [];
const startExecutions = [];
const events = [];

function tasksOf(states, found = []) {
  for (const [name, state] of Object.entries(states ?? {})) {
    if (state.Type === "Task") {
      found.push({ name, resource: state.Resource });
    }

    const processor = state.ItemProcessor ?? state.Iterator;
    if (processor) {
      tasksOf(processor.States, found);
    }

    for (const branch of state.Branches ?? []) {
      tasksOf(branch.States, found);
    }
  }

  return found;
}

function matches(pattern, value) {
  if (pattern === null || typeof pattern !== "object") {
    return pattern === value;
  }

  if (Array.isArray(pattern)) {
    return Array.isArray(value) && pattern.every((p, i) => matches(p, value[i]));
  }

  return value !== null && typeof value === "object" && !Array.isArray(value)
    && Object.entries(pattern).every(([k, p]) => matches(p, value[k]));
}

function taskError(name, message) {
  const error = new Error(message ?? "");
  error.name = name;
  return error;
}

function behaviour(state, resource, taskInput) {
  const index = rules.findIndex((r) =>
    (r.resource === undefined || r.resource === resource)
    && (r.state === undefined || r.state === state)
    && (r.match === undefined || matches(r.match, taskInput)));
  if (index < 0) {
    if (resource === PUT_EVENTS) {
      return { index, call: 0, step: { return: { Entries: taskInput.Entries.map((_, i) => ({ EventId: `event-${putEvents.length}-${i}` })), FailedEntryCount: 0 } } };
    }

    if (resource === START_EXECUTION) {
      return { index, call: 0, step: { return: { ExecutionArn: `${taskInput.StateMachineArn.replace(":stateMachine:", ":execution:")}:${taskInput.Name}`, StartDate: new Date().toISOString() } } };
    }

    return { index, call: 0, step: { throw: { error: "Runner.NoScenarioRule", cause: `no scenario rule for Task ${state} (${resource})` } } };
  }

  const rule = rules[index];
  const call = rule.count++;
  const list = rule.calls ?? [];
  const step = call < list.length ? list[call] : rule.then ?? list[list.length - 1];
  if (!step) {
    return { index, call, step: { throw: { error: "Runner.NoScenarioRule", cause: `scenario rule ${index} has no behaviour for call ${call + 1}` } } };
  }

  return { index, call, step };
}

const handlers = {};
const retryIntervalOverrides = {};
for (const { name, resource } of tasksOf(definition.States)) {
  retryIntervalOverrides[name] = 0;
  handlers[name] = async (taskInput) => {
    const { index, call, step } = behaviour(name, resource, taskInput);
    const record = { state: name, resource, input: taskInput, rule: index, call: call + 1 };
    calls.push(record);
    const accepted = step.throw === undefined;
    if (resource === PUT_EVENTS) {
      for (const entry of taskInput.Entries ?? []) {
        putEvents.push({ state: name, accepted, entry, ...(accepted ? {} : { error: step.throw.error }) });
      }
    }

    if (resource === START_EXECUTION) {
      startExecutions.push({ state: name, accepted, ...taskInput, ...(accepted ? {} : { error: step.throw.error }) });
    }

    if (!accepted) {
      record.threw = step.throw;
      throw taskError(step.throw.error, step.throw.cause);
    }

    record.returned = step.return;
    return step.return;
  };
}

const machine = new StateMachine(definition);
const execution = machine.run(input, {
  overrides: { taskResourceLocalHandlers: handlers, retryIntervalOverrides },
  context: scenario.context ?? {},
});

const eventTypes = {};
const logged = (async () => {
  for await (const event of execution.eventLogs) {
    const key = event.state ? `${event.type}:${event.state.type}` : event.type;
    eventTypes[key] = (eventTypes[key] ?? 0) + 1;
    if (["StateRetried", "StateCaught", "StateFailed", "MapIterationFailed", "ExecutionFailed"].includes(event.type)) {
      events.push({
        type: event.type,
        state: event.state?.name ?? event.parentState?.name,
        ...(event.index !== undefined ? { index: event.index } : {}),
        ...(event.Error !== undefined ? { error: event.Error } : {}),
      });
    }
  }
})();

let outcome;
try {
  outcome = { status: "SUCCEEDED", output: await execution.result };
} catch (error) {
  const cause = error.cause ?? error;
  outcome = { status: "FAILED", error: { Error: cause.name, Cause: cause.message } };
}

await Promise.race([logged, new Promise((resolve) => setTimeout(resolve, 1000))]);
process.stdout.write(JSON.stringify({ ...outcome, calls, putEvents, startExecutions, events, eventTypes }) + "\n");
