package dev.plimsoll.example;

import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/** Create, list, get, update and delete tasks. */
@RestController
@RequestMapping("/tasks")
class TaskController {

  private final TaskRepository tasks;
  private final Downstream downstream;

  TaskController(TaskRepository tasks, Downstream downstream) {
    this.tasks = tasks;
    this.downstream = downstream;
  }

  /** What a client sends to create or change a task. */
  record TaskRequest(String title, Boolean done) {}

  @GetMapping
  List<Task> list(@RequestParam(defaultValue = "100") int limit) {
    if (limit < 1 || limit > 1000) {
      throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "limit must be from 1 to 1000");
    }
    return tasks.findAll(limit);
  }

  @GetMapping("/{id}")
  Task get(@PathVariable long id) {
    return tasks.find(id).orElseThrow(() -> notFound(id));
  }

  @PostMapping
  ResponseEntity<Task> create(@RequestBody TaskRequest request) {
    Task task = tasks.create(title(request));
    downstream.taskCreated(task);
    return ResponseEntity.status(HttpStatus.CREATED).body(task);
  }

  @PutMapping("/{id}")
  Task update(@PathVariable long id, @RequestBody TaskRequest request) {
    boolean done = request.done() != null && request.done();
    return tasks.update(id, title(request), done).orElseThrow(() -> notFound(id));
  }

  @DeleteMapping("/{id}")
  ResponseEntity<Void> delete(@PathVariable long id) {
    if (!tasks.delete(id)) {
      throw notFound(id);
    }
    return ResponseEntity.noContent().build();
  }

  private static String title(TaskRequest request) {
    String title = request.title() == null ? "" : request.title().strip();
    if (title.isEmpty() || title.length() > 200) {
      throw new ResponseStatusException(
          HttpStatus.BAD_REQUEST, "title must be 1 to 200 characters");
    }
    return title;
  }

  private static ResponseStatusException notFound(long id) {
    return new ResponseStatusException(HttpStatus.NOT_FOUND, "no task " + id);
  }
}
