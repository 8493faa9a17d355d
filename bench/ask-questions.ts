/** Written for python3.11-doc: the question, the pages that answer it, a keyword the answer must contain. */
export const QUESTIONS: { question: string; pages: string[]; keyword: string }[] = [
  {
    question: 'How do I reverse a list in place?',
    pages: ['tutorial/datastructures.html', 'library/stdtypes.html'],
    keyword: 'reverse',
  },
  { question: 'How do I read JSON from a file into Python objects?', pages: ['library/json.html'], keyword: 'load' },
  {
    question: 'How can I parse command-line arguments?',
    pages: ['library/argparse.html', 'howto/argparse.html'],
    keyword: 'ArgumentParser',
  },
  {
    question: 'How do I create a virtual environment?',
    pages: ['library/venv.html', 'tutorial/venv.html'],
    keyword: 'venv',
  },
  {
    question: 'What does the with statement do?',
    pages: ['reference/compound_stmts.html', 'reference/datamodel.html'],
    keyword: 'context manager',
  },
  {
    question: 'How do I open a file for writing?',
    pages: ['library/functions.html', 'tutorial/inputoutput.html'],
    keyword: 'open',
  },
  {
    question: 'How do I run a subprocess and capture its output?',
    pages: ['library/subprocess.html'],
    keyword: 'capture_output',
  },
  { question: 'How do I generate a random integer in a range?', pages: ['library/random.html'], keyword: 'randint' },
  { question: 'How do I get the current local date and time?', pages: ['library/datetime.html'], keyword: 'now' },
  {
    question: 'How do I match a regular expression only at the beginning of a string?',
    pages: ['library/re.html', 'howto/regex.html'],
    keyword: 'match',
  },
  { question: 'How do I define a data class with fields?', pages: ['library/dataclasses.html'], keyword: 'dataclass' },
  { question: 'How do I count hashable objects?', pages: ['library/collections.html'], keyword: 'Counter' },
  {
    question: 'What is a lambda expression?',
    pages: ['reference/expressions.html', 'tutorial/controlflow.html', 'glossary.html'],
    keyword: 'lambda',
  },
  { question: 'How do I serialize Python objects with pickle?', pages: ['library/pickle.html'], keyword: 'pickle' },
  {
    question: 'How do I create a temporary directory?',
    pages: ['library/tempfile.html'],
    keyword: 'TemporaryDirectory',
  },
  {
    question: 'How do I log messages to a file with basicConfig?',
    pages: ['howto/logging.html', 'library/logging.html'],
    keyword: 'basicConfig',
  },
  {
    question: 'How do I run asyncio coroutines concurrently with gather?',
    pages: ['library/asyncio-task.html'],
    keyword: 'gather',
  },
  { question: 'How do I copy a file with its permission bits?', pages: ['library/shutil.html'], keyword: 'copy' },
  { question: 'How do I compute a SHA-256 hash digest?', pages: ['library/hashlib.html'], keyword: 'sha256' },
  { question: 'How do I read rows from a CSV file?', pages: ['library/csv.html'], keyword: 'reader' },
  {
    question: 'How do I join path components?',
    pages: ['library/os.path.html', 'library/pathlib.html'],
    keyword: 'join',
  },
  {
    question: 'What is a generator function and yield?',
    pages: [
      'glossary.html',
      'reference/expressions.html',
      'tutorial/classes.html',
      'howto/functional.html',
      'reference/simple_stmts.html',
    ],
    keyword: 'yield',
  },
  { question: 'How do I write unit tests with TestCase?', pages: ['library/unittest.html'], keyword: 'TestCase' },
  {
    question: 'How do formatted string literals work?',
    pages: ['tutorial/inputoutput.html', 'reference/lexical_analysis.html'],
    keyword: 'formatted string',
  },
  {
    question: 'How do I handle exceptions with try and except?',
    pages: ['tutorial/errors.html', 'reference/compound_stmts.html'],
    keyword: 'except',
  },
  {
    question: 'How do I measure the execution time of small code snippets?',
    pages: ['library/timeit.html'],
    keyword: 'timeit',
  },
  { question: 'How do I make a deep copy of an object?', pages: ['library/copy.html'], keyword: 'deepcopy' },
  {
    question: 'How do I run tasks in a thread pool executor?',
    pages: ['library/concurrent.futures.html'],
    keyword: 'ThreadPoolExecutor',
  },
  { question: 'How do I decode base64 encoded data?', pages: ['library/base64.html'], keyword: 'b64decode' },
  { question: 'How do I read environment variables?', pages: ['library/os.html'], keyword: 'environ' },
];
