"""Time a function's GPU work by capturing it in a CUDA graph and replaying it."""
import torch


def time_graph_us(fn, iters=200, divide_by=1):
    """Mean microseconds per replay of `fn` captured in one CUDA graph, / divide_by.

    Warms up on a side stream (as graph capture requires), captures, replays 10
    times untimed, then times `iters` back-to-back replays with CUDA events.
    """
    s = torch.cuda.Stream()
    s.wait_stream(torch.cuda.current_stream())
    with torch.cuda.stream(s):
        for _ in range(3):
            fn()
    torch.cuda.current_stream().wait_stream(s)
    g = torch.cuda.CUDAGraph()
    with torch.cuda.graph(g):
        fn()
    for _ in range(10):
        g.replay()
    start, end = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
    torch.cuda.synchronize()
    start.record()
    for _ in range(iters):
        g.replay()
    end.record()
    torch.cuda.synchronize()
    return start.elapsed_time(end) * 1e3 / iters / divide_by
