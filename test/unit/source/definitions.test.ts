import * as assert from 'node:assert/strict';
import { findPythonDefinitions, PythonDefinition } from '../../../src/source/pythonDefinitions';
import { lexPython, stringValueIn } from '../../../src/source/pythonLexer';

/** `kind name identifier@line:column` for compact assertions. */
function summary(source: string): string[] {
  return findPythonDefinitions(source).map((d) => `${d.kind} ${d.name} ${d.identifier}@${d.line}:${d.column}`);
}

function only(source: string): PythonDefinition {
  const found = findPythonDefinitions(source);
  assert.equal(found.length, 1, JSON.stringify(found));
  return found[0];
}

const py = (...lines: string[]): string => lines.join('\n');

describe('Python definitions (pure)', () => {
  describe('workflows', () => {
    it('finds @workflows.workflow.define(name="x") classes at the class name', () => {
      const source = py('import mistralai.workflows as workflows', '', '@workflows.workflow.define(name="order-fulfillment")', 'class OrderFulfillment:', '    pass');
      assert.deepEqual(only(source), {
        kind: 'workflow', name: 'order-fulfillment', nameSource: 'argument', identifier: 'OrderFulfillment', line: 3, column: 6, decoratorLine: 2,
      });
    });

    it('accepts single quotes, a positional name, and no name at all (the class name)', () => {
      assert.deepEqual(summary("@workflows.workflow.define(name='a')\nclass A: pass"), ['workflow a A@1:6']);
      assert.deepEqual(summary('@workflows.workflow.define("b")\nclass B: pass'), ['workflow b B@1:6']);
      assert.deepEqual(summary('@workflow.define\nclass WeatherWorkflow:\n    pass'), ['workflow WeatherWorkflow WeatherWorkflow@1:6']);
      assert.deepEqual(summary('@workflow.define()\nclass C: pass'), ['workflow C C@1:6']);
      assert.equal(only('@workflow.define\nclass C: pass').nameSource, 'identifier');
    });

    it('reads decorators spanning lines, with other arguments, comments and trailing commas', () => {
      const source = py(
        '@workflows.workflow.define(',
        '    workflow_display_name="Hello (World)",  # name="not-this"',
        '    name=(',
        '        "hello-"',
        "        'world'",
        '    ),',
        '    workflow_description="A name=\\"fake\\" inside",',
        ')',
        'class HelloWorkflow:',
        '    ...',
      );
      assert.deepEqual(summary(source), ['workflow hello-world HelloWorkflow@8:6']);
      assert.equal(only(source).decoratorLine, 0);
    });

    it('accepts Temporal-style @workflow.defn and stacked decorators', () => {
      const source = py('@dataclass', '@workflow.defn(name="t")', '@other.decorator(1, 2)', 'class T:', '    pass');
      assert.deepEqual(summary(source), ['workflow t T@3:6']);
      assert.equal(only(source).decoratorLine, 1);
    });

    it('expands import aliases', () => {
      assert.deepEqual(summary('import mistralai.workflows as wf\n@wf.workflow.define(name="a")\nclass A: pass'), ['workflow a A@2:6']);
      assert.deepEqual(summary('from mistralai import workflows\n@workflows.workflow.define(name="b")\nclass B: pass'), ['workflow b B@2:6']);
      assert.deepEqual(summary('from mistralai.workflows import workflow as w\n@w.define(name="c")\nclass C: pass'), ['workflow c C@2:6']);
      assert.deepEqual(
        summary('from mistralai.workflows.workflow import (\n    define,\n    signal as on_signal,\n)\n@define(name="d")\nclass D:\n    @on_signal\n    def go(self): ...'),
        ['workflow d D@5:6', 'signal go go@7:8'],
      );
    });

    it('resolves a module constant, and marks a name it cannot read', () => {
      assert.equal(only('NAME: str = "from-constant"\n@workflow.define(name=NAME)\nclass A: pass').name, 'from-constant');
      assert.equal(only('NAME: str = "from-constant"\n@workflow.define(name=NAME)\nclass A: pass').nameSource, 'constant');
      const dynamic = only('@workflow.define(name=settings.NAME)\nclass A: pass');
      assert.deepEqual([dynamic.name, dynamic.nameSource], ['A', 'unresolved']);
      assert.equal(only('@workflow.define(name=f"wf-{env}")\nclass A: pass').nameSource, 'unresolved');
      assert.equal(only('@workflow.define(name=f"plain")\nclass A: pass').name, 'plain');
    });

    it('ignores unrelated decorators', () => {
      assert.deepEqual(summary('@dataclass\nclass A: pass\n@workflow.run\nasync def run(self): ...\n@workflows.workflow.entrypoint\ndef e(): ...'), []);
    });
  });

  describe('activities', () => {
    it('finds @workflows.activity() functions by function name or name=', () => {
      const source = py(
        'import mistralai.workflows as workflows',
        '@workflows.activity()',
        'async def ship_order(order_id: str) -> dict:',
        '    ...',
        '',
        '@workflows.activity(name="charge-payment", start_to_close_timeout=timedelta(seconds=10))',
        'def charge(amount: int):',
        '    ...',
      );
      assert.deepEqual(summary(source), ['activity ship_order ship_order@2:10', 'activity charge-payment charge@6:4']);
    });

    it('reads only the decorator’s own name=, not one nested in another argument', () => {
      assert.deepEqual(summary('@workflows.activity(retry=Retry(name="inner"), timeout=(1, 2))\ndef outer(): ...'), ['activity outer outer@1:4']);
    });

    it('accepts bare @activity, @activity.defn and @activity.defn(name=...)', () => {
      assert.deepEqual(summary('from mistralai.workflows import activity\n@activity\nasync def get_weather(city): ...'), ['activity get_weather get_weather@2:10']);
      assert.deepEqual(summary('from temporalio import activity\n@activity.defn\ndef a(): ...'), ['activity a a@2:4']);
      assert.deepEqual(summary("@activity.defn(name='b-name')\nasync  def b(): ..."), ['activity b-name b@1:11']);
    });
  });

  describe('handlers', () => {
    it('finds signal, query and update handlers on methods, with their class', () => {
      const source = py(
        'import mistralai.workflows as workflows',
        '',
        '@workflows.workflow.define(name="orders")',
        'class Orders:',
        '    @workflows.workflow.signal(name="address_updated")',
        '    async def on_address(self, address: dict) -> None: ...',
        '',
        '    @workflows.workflow.query',
        '    def status(self) -> str: ...',
        '',
        '    @workflows.workflow.update(name="set_delivery_window")',
        '    async def set_window(self, w: str) -> bool: ...',
        '',
        '    @set_window.validator',
        '    def check(self, w): ...',
        '',
        'class Other:',
        '    @workflow.signal',
        '    def ping(self): ...',
      );
      assert.deepEqual(summary(source), [
        'workflow orders Orders@3:6',
        'signal address_updated on_address@5:14',
        'query status status@8:8',
        'update set_delivery_window set_window@11:14',
        'signal ping ping@18:8',
      ]);
      const found = findPythonDefinitions(source);
      assert.deepEqual(found.map((d) => d.container), [undefined, 'Orders', 'Orders', 'Orders', 'Other']);
    });

    it('leaves the class when the indentation goes back', () => {
      const source = py('class A:', '    x = 1', '@workflow.signal', 'def loose(): ...');
      assert.equal(only(source).container, undefined);
    });
  });

  describe('Nexus operation handlers', () => {
    it('finds sync, workflow-run and factory operations by name= or method name, however imported', () => {
      const source = py(
        'import nexusrpc',
        'from nexusrpc.handler import sync_operation as sync, service_handler',
        'from temporalio import nexus',
        '@service_handler(service=Carrier)',
        'class CarrierHandler:',
        '    @nexusrpc.handler.sync_operation',
        '    async def quote(self, ctx, input): ...',
        '    @sync(name="price-check")',
        '    async def price(self, ctx, input): ...',
        '    @nexus.workflow_run_operation',
        '    async def book(self, ctx, input): ...',
        '    @nexusrpc.handler.operation_handler(name="track")',
        '    def tracker(self): ...',
      );
      assert.deepEqual(findPythonDefinitions(source).map((d) => `${d.kind} ${d.name} ${d.container}.${d.identifier}`), [
        'nexusOperation quote CarrierHandler.quote', 'nexusOperation price-check CarrierHandler.price',
        'nexusOperation book CarrierHandler.book', 'nexusOperation track CarrierHandler.tracker',
      ]);
    });

    it('does not take other decorators of that name for operations', () => {
      assert.deepEqual(summary('@mylib.sync_operation\ndef f(): ...\n@operation_handler\ndef g(): ...'), []);
    });
  });

  describe('strings and comments never match', () => {
    it('ignores decorators in docstrings, strings and comments', () => {
      const source = py(
        '"""Module doc:',
        '@workflows.activity()',
        'def in_docstring(): ...',
        '"""',
        '# @workflows.activity()',
        '# def in_comment(): ...',
        "text = '''",
        '@workflows.workflow.define(name="in-string")',
        'class InString: ...',
        "'''",
        'other = "@workflows.activity()"',
        'def plain(): ...',
        '@workflows.activity()',
        'def real(): ...',
      );
      assert.deepEqual(summary(source), ['activity real real@13:4']);
    });

    it('is not fooled by quotes inside strings, escapes, prefixes and unterminated strings', () => {
      const source = py(
        "a = 'it\\'s # not a comment'",
        'b = rb"\\"@workflows.activity()"',
        "c = f'{x!r}' # @workflows.activity()",
        'd = "unterminated',
        '@workflows.activity(name="x # y")',
        'def real(): ...',
      );
      assert.deepEqual(summary(source), ['activity x # y real@5:4']);
    });

    it('does not treat a decorator inside brackets as one', () => {
      assert.deepEqual(summary('x = [\n@workflows.activity()\n]\ndef f(): ...'), []);
    });

    it('accepts non-ASCII identifiers and CRLF line ends', () => {
      assert.deepEqual(summary('s = "😀"\r\n@workflows.activity()\r\ndef café(): ...'), ['activity café café@2:4']);
      assert.deepEqual(summary('@workflow.define\nclass Über:\n    @workflow.query\n    def état(self): ...'), ['workflow Über Über@1:6', 'query état état@3:8']);
      assert.deepEqual(summary('@workflows.activity()\r\nasync def a(): ...\r\n'), ['activity a a@1:10']);
    });
  });

  describe('lexer', () => {
    it('keeps offsets and reads literal values', () => {
      const source = 'x = ("a" \'b\') + r"\\n" "q\\tz"';
      const lexed = lexPython(source);
      assert.equal(lexed.masked.length, source.length);
      assert.equal(lexed.strings.length, 4);
      assert.equal(stringValueIn(lexed, 4, 13), 'ab');
      assert.deepEqual(lexed.strings.slice(2).map((s) => s.value), ['\\n', 'q\tz']);
      assert.equal(stringValueIn(lexed, 0, source.length), undefined, 'not only literals');
    });
  });
});
