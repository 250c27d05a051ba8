package dev.plimsoll.example;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.jdbc.support.KeyHolder;
import org.springframework.stereotype.Repository;

/** Tasks in the {@code tasks} table. */
@Repository
class TaskRepository {

  /**
   * Columns by name, as the table spells them: a mapper by constructor parameter would first look
   * for {@code createdAt} and have the driver throw and catch an exception for every row.
   */
  private static final RowMapper<Task> TASK =
      (rs, row) ->
          new Task(
              rs.getLong("id"),
              rs.getString("title"),
              rs.getBoolean("done"),
              rs.getObject("created_at", OffsetDateTime.class));

  private final JdbcClient jdbc;

  TaskRepository(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  List<Task> findAll(int limit) {
    return jdbc.sql("select id, title, done, created_at from tasks order by id limit :limit")
        .param("limit", limit)
        .query(TASK)
        .list();
  }

  Optional<Task> find(long id) {
    return jdbc.sql("select id, title, done, created_at from tasks where id = :id")
        .param("id", id)
        .query(TASK)
        .optional();
  }

  Task create(String title) {
    KeyHolder keys = new GeneratedKeyHolder();
    jdbc.sql("insert into tasks (title) values (:title)").param("title", title).update(keys, "id");
    long id = keys.getKeyAs(Number.class).longValue();
    return find(id).orElseThrow();
  }

  Optional<Task> update(long id, String title, boolean done) {
    int updated =
        jdbc.sql("update tasks set title = :title, done = :done where id = :id")
            .param("title", title)
            .param("done", done)
            .param("id", id)
            .update();
    return updated == 0 ? Optional.empty() : find(id);
  }

  boolean delete(long id) {
    return jdbc.sql("delete from tasks where id = :id").param("id", id).update() > 0;
  }
}
